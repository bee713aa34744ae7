#!/usr/bin/env bash
# Installs everything and starts chiso on SQLite with the demo province at http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p var
export DJANGO_SETTINGS_MODULE=chiso.settings
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules 2>/dev/null || true
.venv/bin/python manage.py load_reference_data
.venv/bin/python manage.py load_demo
echo "chiso: http://${CHISO_ADDR:-127.0.0.1:8000}  (Ctrl+C để dừng)"
exec .venv/bin/python manage.py runserver "${CHISO_ADDR:-127.0.0.1:8000}"
