"""Why a preview is poor, said to the user in Vietnamese with what to do: no appendix table, a table without a
task column, pasted text whose columns were lost (no tabs), an OCR'd scan, many rows without a node or a lead.
The diagnosis is stored as codes and counts (the header of the import); the words are chosen when shown, in the
user's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chiso.documents.importing.raw import RawPlan

# Share of rows without a node or a lead above which the preview says why.
POOR = 0.3


def diagnose(raw: RawPlan, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    from_body = bool(rows) and all(not row["source"].startswith("Bảng") for row in rows)
    if raw.kind == "text" and not raw.tables_seen and len(raw.lines) > 3 * max(len(rows), 1):
        found.append({"code": "text_without_tabs", "lines": len(raw.lines)})
    elif raw.kind == "ocr":
        found.append({"code": "ocr"})
    if from_body and raw.tables_seen and not raw.tables_with_tasks:
        found.append({"code": "no_task_column", "tables": raw.tables_seen})
    elif from_body and raw.kind != "text":
        found.append({"code": "no_appendix_table"})
    if rows:
        unmapped = sum(1 for row in rows if not row["node_ids"])
        unled = sum(1 for row in rows if not row["lead_unit_ids"] and not row["lead_group_ids"])
        if unmapped > POOR * len(rows):
            found.append({"code": "few_nodes", "count": unmapped, "rows": len(rows)})
        if unled > POOR * len(rows):
            found.append({"code": "few_leads", "count": unled, "rows": len(rows)})
    return found


def no_tasks_message(raw: RawPlan) -> str:
    if raw.kind == "text" and not raw.tables_seen:
        return _("Không tìm thấy nhiệm vụ nào: văn bản dán vào không có ký tự Tab nên các cột của bảng phụ lục đã "
                 "mất. Hãy tải lên chính tệp Word, Excel hoặc PDF thay vì dán nội dung.")
    if raw.tables_seen and not raw.tables_with_tasks:
        return _("Không tìm thấy nhiệm vụ nào: tệp có %(n)s bảng nhưng không bảng nào có cột “Nội dung, nhiệm vụ”. "
                 "Hãy đặt tên cột nhiệm vụ ở dòng tiêu đề của bảng phụ lục rồi gửi lại.") % {"n": raw.tables_seen}
    return _("Không tìm thấy nhiệm vụ nào: tệp không có bảng phụ lục có cột nhiệm vụ, cũng không có các mục a), "
             "b), c)… trong phần nhiệm vụ, giải pháp.")


def explain(item: dict[str, Any]) -> dict[str, str]:
    """What the preview shows for one diagnosis: why, and what to do."""
    code = item.get("code")
    if code == "text_without_tabs":
        return {"why": _("Văn bản dán vào không có ký tự Tab: các cột của bảng phụ lục đã mất, chỉ đọc được các "
                         "nhiệm vụ trong phần nội dung."),
                "todo": _("Hãy tải lên chính tệp Word, Excel hoặc PDF, hoặc sao chép bảng từ Word để giữ các cột.")}
    if code == "ocr":
        return {"why": _("Văn bản được nhận dạng chữ từ ảnh quét: chữ có thể mất dấu hoặc sai một vài ký tự."),
                "todo": _("Kiểm tra kỹ nội dung, chỉ số và cơ quan chủ trì của từng dòng trước khi xác nhận.")}
    if code == "no_task_column":
        return {"why": _("Tệp có %(n)s bảng nhưng không bảng nào có cột “Nội dung, nhiệm vụ”: các nhiệm vụ được "
                         "đọc từ phần nội dung.") % {"n": item.get("tables", 0)},
                "todo": _("Nếu kế hoạch có bảng phụ lục, hãy đặt tên cột nhiệm vụ ở dòng tiêu đề rồi gửi lại.")}
    if code == "no_appendix_table":
        return {"why": _("Không tìm thấy bảng phụ lục: các nhiệm vụ được đọc từ các mục a), b), c)… và phần tổ "
                         "chức thực hiện."),
                "todo": _("Kiểm tra các dòng dưới đây; nếu kế hoạch có phụ lục dạng bảng, hãy gửi tệp có phụ lục.")}
    if code == "few_nodes":
        return {"why": ngettext("%(count)s/%(rows)s dòng chưa gắn được chỉ số, tiêu chí.",
                                "%(count)s/%(rows)s dòng chưa gắn được chỉ số, tiêu chí.", item["count"])
                % {"count": item["count"], "rows": item["rows"]},
                "todo": _("Chọn bộ chỉ số khác cho phụ lục ở phần “Bộ chỉ số”, hoặc chọn chỉ số cho từng dòng.")}
    if code == "few_leads":
        return {"why": ngettext("%(count)s/%(rows)s dòng chưa nhận ra cơ quan chủ trì.",
                                "%(count)s/%(rows)s dòng chưa nhận ra cơ quan chủ trì.", item["count"])
                % {"count": item["count"], "rows": item["rows"]},
                "todo": _("Chọn đúng cơ quan ban hành (tên như “Văn phòng Sở” được hiểu theo cơ quan ban hành), "
                          "hoặc tạo đơn vị còn thiếu.")}
    return {"why": "", "todo": ""}
