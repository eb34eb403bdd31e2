#!/usr/bin/env bash
# Set up, then run every check CI runs: ruff lint and format, migrations in step with the
# models, and the whole pytest suite. Exits non-zero if any of them fails.
#
# Runs on SQLite by default; set DATABASE_URL=postgres://... to use PostgreSQL (see .ci/run).
# Extra arguments go to pytest, e.g. ./scripts/test.sh tests/core -x
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh || exit 1

# The settings decide DEBUG for the tests; a developer's DEBUG=1 must not leak in.
unset DEBUG
BIN=.venv/bin
failed=()

step() {
    local name=$1
    shift
    printf '\033[1m==> %s\033[0m\n' "$name"
    "$@" || failed+=("$name")
}

step "ruff check" "$BIN/ruff" check .
step "ruff format --check" "$BIN/ruff" format --check .
step "makemigrations --check" "$BIN/python" manage.py makemigrations --check --dry-run
step "pytest" "$BIN/pytest" -q "$@"

if [[ ${#failed[@]} -gt 0 ]]; then
    printf '\033[31mTHẤT BẠI: %s\033[0m\n' "${failed[*]}" >&2
    exit 1
fi
printf '\033[32mTất cả các bước kiểm tra đều đạt.\033[0m\n'
