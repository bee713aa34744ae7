"""The evidence dossier of a unit for a round: a .zip with one folder per criterion holding its evidence
files (uploaded on the sheet or picked from the unit's reports) and an index workbook listing each
criterion, its scores and its files with the documents cited.

Built in the background: files are copied into the archive in chunks (never read whole), the index is
written by openpyxl's write-only mode, and the job row records progress for the page to poll."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from chiso.core.text import fold
from chiso.unitindex.models import Dossier, DossierStatus, EntryEvidence
from chiso.unitindex.services import sheet_entries

CHUNK = 1024 * 1024
PROGRESS_EVERY = 10


def dossier_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "unitindex-dossiers"
    path.mkdir(parents=True, exist_ok=True)
    return path


def folder_name(code: str) -> str:
    """'TCTP 1.1.2' → 'TCTP_1.1.2': a folder name every unzip program accepts."""
    return re.sub(r"[^A-Za-z0-9.]+", "_", fold(code).upper()).strip("_") or "tieu-chi"


def _file_name(evidence: EntryEvidence, used: set[str]) -> str:
    base = evidence.original_name.replace("/", "_").replace("\\", "_")
    name, counter = base, 1
    while name in used:
        counter += 1
        stem, dot, suffix = base.rpartition(".")
        name = f"{stem} ({counter}).{suffix}" if dot else f"{base} ({counter})"
    used.add(name)
    return name


def _document_text(documents: list[dict[str, str]]) -> str:
    return "; ".join(" ".join(part for part in (d.get("number", ""), d.get("date", ""), d.get("section", ""))
                              if part) for d in documents)


def build_dossier(dossier_id: int) -> None:
    dossier = Dossier.objects.select_related("participant__unit", "participant__round").get(pk=dossier_id)
    entries = sheet_entries(dossier.participant)
    evidence = list(EntryEvidence.objects.filter(entry__participant=dossier.participant)
                    .select_related("report_evidence").order_by("entry__node__position", "id"))
    Dossier.objects.filter(pk=dossier_id).update(status=DossierStatus.RUNNING, total_files=len(evidence))
    target = dossier_dir() / f"{dossier_id}.zip"
    index_rows: list[list[object]] = []
    try:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            by_entry: dict[int, list[EntryEvidence]] = {}
            for item in evidence:
                by_entry.setdefault(item.entry_id, []).append(item)
            done = 0
            for entry in entries:
                folder, used = folder_name(entry.node.code), set[str]()
                for item in by_entry.get(entry.pk, []):
                    name = _file_name(item, used)
                    member = zipfile.ZipInfo(f"{folder}/{name}", date_time=item.added_at.timetuple()[:6])
                    # Evidence formats (PDF, JPEG, PNG, Office) are compressed already: stored, not deflated again.
                    member.compress_type = zipfile.ZIP_STORED
                    with item.stored_file().open("rb") as source, archive.open(member, "w") as sink:
                        shutil.copyfileobj(source, sink, CHUNK)
                    index_rows.append(_index_row(entry, f"{folder}/{name}", item))
                    done += 1
                    if done % PROGRESS_EVERY == 0:
                        Dossier.objects.filter(pk=dossier_id).update(done_files=done)
                if not by_entry.get(entry.pk):
                    index_rows.append(_index_row(entry, "", None))
            archive.writestr("MUC_LUC.xlsx", _index_workbook(dossier, index_rows))
    except (OSError, ValueError) as error:
        Dossier.objects.filter(pk=dossier_id).update(status=DossierStatus.FAILED, error=str(error)[:1000])
        target.unlink(missing_ok=True)
        return
    Dossier.objects.filter(pk=dossier_id).update(status=DossierStatus.DONE, done_files=len(evidence),
                                                 path=target.name, size=target.stat().st_size)


def _index_row(entry: object, path: str, item: EntryEvidence | None) -> list[object]:
    from chiso.unitindex.models import Entry

    assert isinstance(entry, Entry)
    score = entry.standing_score
    origin = "" if item is None else (_("Từ báo cáo định kỳ") if item.report_evidence_id else _("Tải lên khi chấm"))
    return [entry.node.code, entry.node.name_vi, float(entry.node.max_points or 0),
            _("Không áp dụng") if entry.not_applicable else (float(score) if score is not None else ""),
            path, origin, _document_text(entry.documents)]


def _index_workbook(dossier: Dossier, rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Mục lục"))
    sheet.append([_("Hồ sơ minh chứng — %(unit)s — %(round)s") % {
        "unit": dossier.participant.unit.name, "round": dossier.participant.round.name}])
    sheet.append([_("Mã"), _("Tiêu chí"), _("Điểm tối đa"), _("Điểm"), _("Tệp minh chứng"), _("Nguồn"),
                  _("Văn bản tham chiếu")])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
