"""An evidence upload past the size limit is cut off while it arrives: the handlers after the limit never
receive more than the limit, and the user gets a Vietnamese message."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler

from chiso.monitoring.models import Evidence
from tests.conftest import client_for
from tests.monitoring_helpers import minhxuan_report, pdf_bytes

RECEIVED: list[int] = []


class RecordingMemoryHandler(MemoryFileUploadHandler):
    """Django's in-memory handler, counting what reaches it."""

    def receive_data_chunk(self, raw_data, start):  # type: ignore[no-untyped-def]
        RECEIVED.append(len(raw_data))
        return super().receive_data_chunk(raw_data, start)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.RecordingMemoryHandler"]
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 * 1024
    RECEIVED.clear()


@pytest.mark.django_db
def test_an_oversized_upload_is_stopped_at_the_limit(demo_plan, settings):
    settings.CHISO_EVIDENCE_MAX_BYTES = 1024 * 1024
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    big = pdf_bytes() + b"0" * (8 * 1024 * 1024)
    response = client_for("focal_point").post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/minh-chung/",
                                              {"file": SimpleUploadedFile("lon.pdf", big)}, follow=True)
    assert "quá lớn: tối đa 1 MB" in response.content.decode()
    assert sum(RECEIVED) <= settings.CHISO_EVIDENCE_MAX_BYTES
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_a_file_within_the_limit_still_goes_through(demo_plan, settings):
    settings.CHISO_EVIDENCE_MAX_BYTES = 1024 * 1024
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    response = client_for("focal_point").post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/minh-chung/",
                                              {"file": SimpleUploadedFile("nho.pdf", pdf_bytes())}, follow=True)
    assert "Đã tải lên minh chứng “nho.pdf”" in response.content.decode()
    assert sum(RECEIVED) == len(pdf_bytes())


@pytest.mark.django_db
def test_the_upload_still_requires_the_csrf_token(demo_plan):
    from django.test import Client

    from chiso.accounts.models import User
    from tests.conftest import USERNAMES

    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username=USERNAMES["focal_point"]))
    url = f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/minh-chung/"
    response = client.post(url, {"file": SimpleUploadedFile("nho.pdf", pdf_bytes())})
    assert response.status_code == 403 and not Evidence.objects.exists()
    # With the token the page gives, the upload goes through the CSRF middleware and the size limit.
    client.get(f"/theo-doi/bao-cao/{report.pk}/")
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"file": SimpleUploadedFile("nho.pdf", pdf_bytes()), "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and Evidence.objects.filter(line=line).count() == 1
