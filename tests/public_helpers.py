"""What the tests of a plan's public page share: a fresh page cache and media folder, opting a plan in, and
one task's block of the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from pytest_django.fixtures import Settings

from chiso.plans.models import Plan


@pytest.fixture(autouse=True)
def fresh_cache_and_media(settings: Settings, tmp_path: Path) -> Iterator[None]:
    """Imported by each public-page test module: the page is cached whole, so every test starts uncached."""
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield


def publish(plan: Plan) -> None:
    plan.is_public = True
    plan.save()


def task_block(html: str, task_id: int) -> str:
    match = re.search(rf'<article[^>]*id="nv-{task_id}".*?</article>', html, re.S)
    assert match, task_id
    return match.group(0)
