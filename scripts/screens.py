"""Screenshots of each role's home page at 1366 px and 390 px for docs/SCREENS.md, regenerated, never drawn
by hand: a fresh SQLite database with the demo province (its reporting periods generated, the ward's focal
point having asked the leader to approve a report), chiso served by `manage.py runserver` on a free port,
Playwright driving Debian's chromium.

    .venv/bin/python scripts/screens.py          # writes docs/screens/*.png and docs/SCREENS.md
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screens"
CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
ROLES = [
    ("dieuphoi", "coordinator", "Điều phối (Sở Nội vụ)"),
    ("daumoi.minhxuan", "focal_point", "Cán bộ đầu mối (phường Minh Xuân)"),
    ("lanhdao.minhxuan", "leader", "Lãnh đạo đơn vị (phường Minh Xuân)"),
    ("lanhdaotinh", "viewer", "Lãnh đạo tỉnh: trang tổng quan chỉ số"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare(env: dict[str, str]) -> None:
    """Migrate, load the demo, and put the ward's report in the state the leader meets in the morning."""
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    script = (
        "import django; django.setup()\n"
        "from chiso.demo.loader import load_demo; load_demo()\n"
        "from chiso.accounts.models import User\n"
        "from chiso.monitoring.periods import generate_periods\n"
        "from chiso.monitoring.reports.services import open_report\n"
        "from chiso.monitoring.reports.approval import request_approval\n"
        "from chiso.plans.models import Plan\n"
        "plan = Plan.objects.get(province__code='tuyen-quang', parent__isnull=True, status='issued')\n"
        "generate_periods(plan)\n"
        "focal = User.objects.get(username='daumoi.minhxuan')\n"
        "report = open_report(plan.reporting_periods.get(label='Quý III/2025'), focal.unit, focal)\n"
        "request_approval(report, focal)\n"
    )
    subprocess.run([python, "-c", script], cwd=ROOT, env=env, check=True)


def _shoot(base: str) -> list[tuple[str, str, str]]:
    from playwright.sync_api import sync_playwright

    from chiso.demo.loader import DEMO_PASSWORD

    OUT.mkdir(parents=True, exist_ok=True)
    shots = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for username, role, label in ROLES:
            for width, viewport in WIDTHS.items():
                page = browser.new_context(locale="vi-VN", viewport=viewport).new_page()
                page.goto(f"{base}/tai-khoan/dang-nhap/")
                page.fill("#id_username", username)
                page.fill("#id_password", DEMO_PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                name = f"{role}-{width}.png"
                page.screenshot(path=str(OUT / name), full_page=False)
                shots.append((label, width, name))
                page.context.close()
        browser.close()
    return shots


def _markdown(shots: list[tuple[str, str, str]]) -> str:
    lines = ["# Màn hình đầu ngày của từng vai trò", "",
             "Ảnh chụp tự động bằng `scripts/screens.py` (Playwright + chromium) trên tỉnh mẫu; đừng sửa tay, "
             "chạy lại script. Mỗi vai trò: màn hình máy tính (1366 px) và điện thoại (390 px).", ""]
    for label in dict.fromkeys(label for label, _w, _n in shots):
        lines += [f"## {label}", ""]
        for shot_label, width, name in shots:
            if shot_label == label:
                lines += [f"![{label}, {width} px](screens/{name})", ""]
    return "\n".join(lines)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "chiso.settings",
               "DATABASE_URL": f"sqlite:///{folder}/screens.sqlite3", "CHISO_DEBUG": "1"}
        os.environ.update(env)
        _prepare(env)
        port = _free_port()
        server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "runserver", "--noreload",
                                   f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            for _ in range(60):
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.5)
            import django

            django.setup()
            shots = _shoot(f"http://127.0.0.1:{port}")
        finally:
            server.terminate()
            server.wait(timeout=10)
    (ROOT / "docs" / "SCREENS.md").write_text(_markdown(shots) + "\n", encoding="utf-8")
    print(f"{len(shots)} ảnh trong {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
