"""Resumable downloads: a file served with `Accept-Ranges` and answered 206 for one byte range, so a
dossier of hundreds of megabytes interrupted on a slow line continues where it stopped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024


def _chunks(path: Path, start: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                return
            length -= len(data)
            yield data


def _parse(header: str, size: int) -> tuple[int, int] | None:
    """(start, end inclusive), or None when the header is not one satisfiable range."""
    match = RANGE.match(header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        return None
    if not match.group(1):  # the last N bytes
        start, end = max(0, size - int(match.group(2))), size - 1
    else:
        start = int(match.group(1))
        end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
    return (start, end) if start <= end and start < size else None


def ranged_file(request: HttpRequest, path: Path, filename: str, content_type: str) -> HttpResponseBase:
    size = path.stat().st_size
    header = request.headers.get("Range", "")
    if not header:
        response: HttpResponseBase = FileResponse(path.open("rb"), as_attachment=True, filename=filename,
                                              content_type=content_type)
    else:
        bounds = _parse(header, size)
        if bounds is None:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        start, end = bounds
        response = StreamingHttpResponse(_chunks(path, start, end - start + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
