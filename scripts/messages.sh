#!/usr/bin/env bash
# Refreshes the English catalogue from the code and checks that it is complete.
#   bash scripts/messages.sh          refresh chiso/locale/en (folding in chiso/locale/en/pending/*.po), compile
#   bash scripts/messages.sh --check  the same, then fail naming every message without an English translation
# Entries carry no source locations, so the file changes only when a message does.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PO=chiso/locale/en/LC_MESSAGES/django.po
PENDING=(chiso/locale/en/pending/*.po)

$PY manage.py makemessages -l en --no-location --no-obsolete -v0 --ignore=.venv --ignore=node_modules \
  --ignore=tests --ignore=var
if [ -e "${PENDING[0]}" ]; then
  # Translations written on branches: fill the catalogue's untranslated entries from them, never overwrite.
  tmp="$(mktemp -d)"
  msgattrib --translated --no-fuzzy "$PO" -o "$tmp/have.po"
  msgcat --use-first "$tmp/have.po" "${PENDING[@]}" -o "$tmp/all.po"
  msgmerge -q --no-fuzzy-matching --no-location -N "$tmp/all.po" "$PO" -o "$tmp/merged.po"
  cp "$tmp/merged.po" "$PO"
  rm -rf "$tmp"
fi
$PY manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules

if [ "${1:-}" = "--check" ]; then
  # Counted by msgfmt, which also sees messages written on several lines (msgid "" then the text).
  stats="$(LC_ALL=C msgfmt --statistics -o /dev/null "$PO" 2>&1)"
  if grep -qE 'untranslated|fuzzy' <<<"$stats"; then
    echo "English catalogue incomplete ($stats) — translate these in $PO:" >&2
    msgattrib --untranslated --no-wrap "$PO" | grep -A1 '^msgid "[^"]' >&2 || true
    msgattrib --only-fuzzy --no-wrap "$PO" | grep -A1 '^msgid "[^"]' >&2 || true
    exit 1
  fi
fi
