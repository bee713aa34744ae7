"""Import a plan file for a province from the command line, for migrating an archive in bulk.

    python manage.py import_plan ke-hoach.docx --province tuyen-quang --dry-run
    python manage.py import_plan ke-hoach.pdf --province tuyen-quang --framework papi-2021

--dry-run prints the parsed plan as JSON (header; per row: node code, content, target, lead and
coordinating units, schedule text and parsed dates, confidence) and saves nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chiso.documents.importing.choosing import candidates
from chiso.documents.importing.errors import ImportRefused
from chiso.documents.importing.pipeline import parse_upload, preview_data
from chiso.documents.importing.saving import save_plan
from chiso.frameworks.models import Framework, Node
from chiso.orgs.models import Province, Unit, UnitGroup


def dry_run_json(data: dict[str, Any]) -> dict[str, Any]:
    node_ids = {i for row in data["rows"] for i in row["node_ids"]}
    unit_ids = {i for row in data["rows"] for key in ("lead_unit_ids", "coordinating_unit_ids") for i in row[key]}
    group_ids = {i for row in data["rows"] for key in ("lead_group_ids", "coordinating_group_ids") for i in row[key]}
    nodes = {n.pk: n for n in Node.objects.filter(pk__in=node_ids).select_related("framework")}
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    groups = dict(UnitGroup.objects.filter(pk__in=group_ids).values_list("pk", "name"))
    rows = []
    for row in data["rows"]:
        rows.append({
            "source": row["source"], "number": row["number"],
            "node": [f"{nodes[i].framework.slug}:{nodes[i].code}" for i in row["node_ids"]],
            "content": row["content"], "target": row["target"],
            "lead_units": [units[i] for i in row["lead_unit_ids"]] + [groups[i] for i in row["lead_group_ids"]],
            "lead_unknown": row["lead_unknown"],
            "coordinating_units": [units[i] for i in row["coordinating_unit_ids"]]
            + [groups[i] for i in row["coordinating_group_ids"]],
            "schedule_text": row["schedule_text"], "schedule": row["schedule"], "confidence": row["confidence"],
        })
    return {"header": data["header"], "rows": rows, "unreadable": data["unreadable"]}


class Command(BaseCommand):
    help = "Nhập một kế hoạch từ tệp .docx, .xlsx, .pdf hoặc .txt (--dry-run: chỉ in JSON, không lưu)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--province", required=True)
        parser.add_argument("--framework", action="append", default=[], help="slug; repeat for several")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        province = Province.objects.filter(code=options["province"]).first()
        if province is None:
            raise CommandError(f"Không có tỉnh mã {options['province']}.")
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        try:
            raw = parse_upload(path.read_bytes(), path.name)
        except ImportRefused as refused:
            raise CommandError("; ".join(refused.messages)) from None
        allowed = (list(Framework.objects.filter(slug__in=options["framework"])) if options["framework"]
                   else candidates(province))
        data = preview_data(raw, province, allowed)
        frameworks = data["frameworks"]
        if options["dry_run"]:
            self.stdout.write(json.dumps(dry_run_json(data), ensure_ascii=False, indent=2))
            return
        try:
            plan = save_plan(province, data, frameworks, original=path.read_bytes(), original_name=path.name)
        except ImportRefused as refused:
            raise CommandError("; ".join(refused.messages)) from None
        self.stdout.write(f"Đã nhập kế hoạch #{plan.pk} với {plan.tasks.count()} nhiệm vụ.")
