#!/usr/bin/env bash
# Run the test suite. SQLite by default; set DATABASE_URL=postgres://... to run it on PostgreSQL.
# Extra arguments go to pytest (e.g. scripts/test.sh tests/workflow -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DJANGO_SETTINGS_MODULE=project.settings.test
echo "== database: ${DATABASE_URL:-sqlite (default)}"
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "!! model changes without migrations" >&2; exit 1; }
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
