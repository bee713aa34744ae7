"""An upload handler that stops reading an evidence file once it passes the size limit, so an oversized
upload is neither kept in memory nor spooled to a temporary file before it is refused."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from chiso.monitoring.reports.evidence import max_bytes

TOO_LARGE = "_evidence_too_large"


class EvidenceSizeLimit(FileUploadHandler):
    """First in the handler chain: it passes data on until the limit, then stops the upload. The rest of
    the request body is read and thrown away (connection_reset=False) so the browser still gets the page
    with its message. The view asks `upload_was_too_large(request)`."""

    def __init__(self, request: HttpRequest | None = None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            setattr(self.request, TOO_LARGE, True)
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> Any:
        return None  # the next handler (memory or temporary file) builds the file


def limit_evidence_upload(request: HttpRequest) -> None:
    """Call before anything reads request.POST or request.FILES."""
    request.upload_handlers.insert(0, EvidenceSizeLimit(request))


def upload_was_too_large(request: HttpRequest) -> bool:
    return bool(getattr(request, TOO_LARGE, False))
