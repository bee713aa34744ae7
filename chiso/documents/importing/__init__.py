"""Importing a plan from a document someone else wrote (.docx, .xlsx, text-layer .pdf, pasted text).

read (readers) → rows (tables, body) → mapping to nodes, units and schedules (mapping) → a preview kept in
the database (models.PlanImport) → confirm, one transaction through plans.services (saving)."""
