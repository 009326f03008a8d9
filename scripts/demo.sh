#!/usr/bin/env bash
# Start the web app with demo data on SQLite: http://127.0.0.1:8000/ (see README for the accounts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DJANGO_SETTINGS_MODULE=project.settings.dev
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo
# The scheduler (scheduled publication, display periods, deadlines) runs in-process every minute.
( while true; do .venv/bin/python manage.py tick >/dev/null 2>&1 || true; sleep 60; done ) &
TICK_PID=$!
trap 'kill $TICK_PID 2>/dev/null || true' EXIT
exec_host=${HOST:-127.0.0.1}
exec_port=${PORT:-8000}
echo "== 审发 demo: http://$exec_host:$exec_port/  (public site: /gk/, admin: /admin/)"
.venv/bin/python manage.py runserver "$exec_host:$exec_port"
