"""Optional error reporting: with CHISO_SENTRY_DSN an error reaches a Sentry-compatible server (a real HTTP
server on the loopback here) without personal data; without it sentry-sdk is not even imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import django, logging, sys
django.setup()
print("sentry_sdk" in sys.modules)
if "sentry_sdk" in sys.modules:
    import sentry_sdk
    logging.getLogger("chiso.test").error("Lỗi thử gửi báo cáo")
    sentry_sdk.flush(timeout=10)
"""


def _run(env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.strip().splitlines()[-1]


def _decoded(body: bytes, encoding: str | None) -> bytes:
    """sentry-sdk compresses with brotli when it can import it (locust's HTTP client brings it), else gzip."""
    if encoding == "br":
        import brotli

        return bytes(brotli.decompress(body))
    return zlib.decompress(body, 16 + zlib.MAX_WBITS) if encoding == "gzip" else body


def test_without_a_dsn_sentry_is_not_imported():
    env = {key: value for key, value in os.environ.items() if key != "CHISO_SENTRY_DSN"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_with_a_dsn_an_error_is_sent_to_the_server():
    received: list[bytes] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(_decoded(body, self.headers.get("Content-Encoding")))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert _run({"CHISO_SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1"}) == "True"
    finally:
        server.shutdown()
    items = [json.loads(line) for body in received for line in body.splitlines() if line.strip()]
    payload = json.dumps(items, ensure_ascii=False)
    assert "Lỗi thử gửi báo cáo" in payload and "chiso.test" in payload
