"""The one zip-bomb rule for every upload that is a zip inside (.docx, .xlsx): the evidence check, the
table reader of the unit and result imports and the plan importer's readers all ask it before they unpack
anything. Each caller words the refusal for its own page."""

from __future__ import annotations

import zipfile

from django.conf import settings

# A real Office file compresses text perhaps 10:1; a bomb by thousands. Small archives are not judged by
# their ratio (a short, repetitive sheet compresses very well and is harmless).
MAX_RATIO = 200
RATIO_CHECKED_FROM = 10 * 1024 * 1024


def max_unpacked_bytes() -> int:
    return int(settings.CHISO_MAX_UNPACKED_MB) * 1024 * 1024


def inflates_too_far(archive: zipfile.ZipFile) -> bool:
    """True when the members would unpack beyond the one limit in settings, or far beyond their packed size."""
    infos = archive.infolist()
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    return unpacked > max_unpacked_bytes() or (unpacked > RATIO_CHECKED_FROM and unpacked / packed > MAX_RATIO)
