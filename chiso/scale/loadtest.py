"""Locust load test of chiso through a real server: four personas (coordinator, unit focal point, unit
leader, province leader as viewer) log in through the login form and read their main pages with 1–5 s of
thought between requests. The pages are the benchmark's (chiso.scale.benchmark.pages_for), read once from the
database the server uses, so the load test and the in-process benchmark measure the same pages.

Run by scripts/loadtest/run.sh (gunicorn, loopback only); `locust -f chiso/scale/loadtest.py --help` for
the rest. CHISO_LOADTEST_PROVINCES (comma-separated codes) limits the provinces; by default every province
the benchmark can measure. CHISO_LOADTEST_PASSWORD is the synthetic accounts' password."""

from __future__ import annotations

import os
import random
import re
from collections import defaultdict

import django
from locust import HttpUser, between, task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.settings")
django.setup()

from chiso.scale.benchmark import NothingToMeasure, Page, pages_for  # noqa: E402

PASSWORD = os.environ.get("CHISO_LOADTEST_PASSWORD", "chiso-synthetic")
LOGIN_URL = "/tai-khoan/dang-nhap/"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _pages_by_persona() -> dict[str, list[list[Page]]]:
    """For each persona, one list of pages per province (a simulated person stays in one province)."""
    from chiso.orgs.models import Province

    wanted = [c for c in os.environ.get("CHISO_LOADTEST_PROVINCES", "").split(",") if c]
    provinces = Province.objects.filter(code__in=wanted) if wanted else Province.objects.all()
    found: dict[str, list[list[Page]]] = defaultdict(list)
    for province in provinces.order_by("code"):
        try:
            pages = pages_for(province)
        except NothingToMeasure:
            continue
        by_persona: dict[str, list[Page]] = defaultdict(list)
        for page in pages:
            by_persona[page.persona].append(page)
        for persona, own in by_persona.items():
            found[persona].append(own)
    return found


PAGES = _pages_by_persona()


class Persona(HttpUser):
    """Logs in as the persona's account of a random province and reads its pages at random."""

    abstract = True
    persona = ""
    wait_time = between(1, 5)

    def on_start(self) -> None:
        self.pages = random.choice(PAGES[self.persona])
        # Production settings: the server believes the (absent) proxy's X-Forwarded-Proto, and its cookies are
        # marked Secure; loopback is plain HTTP, so the cookie jar is told to send them anyway.
        self.client.headers.update({"X-Forwarded-Proto": "https", "Referer": f"https://{self._host()}/"})
        form = self.client.get(LOGIN_URL, name="login (form)")
        self._unsecure_cookies()
        token = CSRF_FIELD.search(form.text)
        with self.client.post(LOGIN_URL, name="login", allow_redirects=False, catch_response=True, data={
            "username": self.pages[0].user.username, "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
        self._unsecure_cookies()

    def _host(self) -> str:
        return (self.host or "").split("://", 1)[-1].rstrip("/")

    def _unsecure_cookies(self) -> None:
        for cookie in self.client.cookies:
            cookie.secure = False

    @task
    def read_a_page(self) -> None:
        page = random.choice(self.pages)
        headers = {"HX-Request": "true"} if page.htmx else {}
        with self.client.get(page.url, headers=headers, name=f"{self.persona} {page.name}",
                             allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{page.url} answered {response.status_code}")


class Coordinator(Persona):
    persona = "coordinator"
    weight = 1


class FocalPoint(Persona):
    persona = "focal_point"
    weight = 4


class Leader(Persona):
    persona = "leader"
    weight = 2


class Viewer(Persona):
    persona = "province_leader"
    weight = 1
