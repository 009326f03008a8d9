#!/usr/bin/env bash
# The checks that keep the code base in shape: layers (import-linter), no private names across modules, ruff.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
echo "== layers (lint-imports)"
.venv/bin/lint-imports --no-cache
echo "== private names"
.venv/bin/python scripts/check_private_imports.py
echo "== ruff"
.venv/bin/ruff check --no-cache ${RUFF_PATHS:-.}
