"""Sending a stored evidence file, for the permission-checked download of the monitoring pages and the public
download of a plan's public page alike: always as an attachment under its original name, with a sandbox
policy and no type sniffing. The caller decides who may have the file and how long it may be cached."""

from __future__ import annotations

from django.http import FileResponse, Http404

from chiso.monitoring.models import Evidence


def evidence_file_response(evidence: Evidence, cache_control: str) -> FileResponse:
    """The file as an attachment; a row whose file is missing from storage is 404, never a server error."""
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["Cache-Control"] = cache_control
    # Should a browser ever render the file instead of saving it, it runs nothing and reaches nothing.
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
