"""gunicorn settings for chiso-web.service. Sync workers: chiso's requests are short and database-bound; two
per core is the usual start (the issue's measurements were taken with 4 on 2 cores)."""

import os

bind = os.environ.get("CHISO_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CHISO_WEB_WORKERS", "4"))
worker_class = "sync"
# Large plan imports and exports are parsed in the request before the preview; leave them time.
timeout = int(os.environ.get("CHISO_WEB_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# chiso.ops.request_log writes one JSON line per request; gunicorn's own access log would double it.
accesslog = None
errorlog = "-"
# nginx on the same machine sets X-Forwarded-Proto; trust it only from the loopback.
forwarded_allow_ips = "127.0.0.1"
# gunicorn's runtime control socket is not used (systemd reloads with HUP); under ProtectHome/ProtectSystem it
# would have nowhere to live, and two instances on one host would contend for the default path.
control_socket_disable = True
