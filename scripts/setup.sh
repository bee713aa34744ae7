#!/usr/bin/env bash
# Installs what chiso needs to run: a virtualenv with the pinned Python packages and the
# front-end assets from the npm registry. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="${1:-}"

need_apt=()
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
python3.11 -c "import venv, ensurepip" >/dev/null 2>&1 || need_apt+=(python3.11-venv)
# The `ldap` extra (directory sign-in): python-ldap has no binary wheel and compiles against Debian's OpenLDAP and
# SASL headers. Only then: the demo and an install without the extra need no compiler.
if [[ ",$EXTRAS," == *",ldap,"* ]]; then
  for pkg in build-essential libldap2-dev libsasl2-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
  done
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

[ -x .venv/bin/python ] || python3.11 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
if [ -n "$EXTRAS" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[${EXTRAS}]"
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e .
fi
npm ci --no-audit --no-fund --loglevel=error
