#!/usr/bin/env bash
# Install what the app needs on a Debian machine, skipping whatever is already there:
# the Debian packages (Pango for WeasyPrint, Chromium for the browser tests) and the
# virtualenv .venv with requirements-dev.txt. Safe and quick to run again.
#
# Environment: PYTHON (default python3.11, then python3), SKIP_APT=1 to leave Debian
# packages alone.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[33m!!  %s\033[0m\n' "$*" >&2; }

DEBIAN_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 chromium)

pick_python() {
    if [[ -n "${PYTHON:-}" ]]; then
        echo "$PYTHON"
    elif command -v python3.11 >/dev/null 2>&1; then
        echo python3.11
    else
        echo python3
    fi
}
PYTHON=$(pick_python)
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    warn "Cần Python 3.11 trở lên (không tìm thấy qua '$PYTHON'). Đặt biến PYTHON=... rồi chạy lại."
    exit 1
fi

install_debian_packages() {
    if [[ "${SKIP_APT:-0}" == 1 ]] || ! command -v dpkg-query >/dev/null 2>&1; then
        return 0
    fi
    local wanted=("${DEBIAN_PACKAGES[@]}") missing=() pkg
    # Debian's own Python needs python3-venv to create a virtualenv.
    if [[ ! -x "$VENV/bin/python" ]] && ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
        wanted+=(python3-venv)
    fi
    for pkg in "${wanted[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        warn "Thiếu gói Debian: ${missing[*]}. Không chạy với quyền root nên bỏ qua bước cài;"
        warn "hãy chạy: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
        return 0
    fi
    say "Cài gói Debian: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
}

install_python_packages() {
    if [[ ! -x "$VENV/bin/python" ]]; then
        say "Tạo môi trường ảo .venv bằng $PYTHON"
        "$PYTHON" -m venv "$VENV"
    fi
    # Reinstall only when the requirement files changed since the last successful install.
    local stamp="$VENV/.requirements.sha256" digest
    digest=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$digest" ]]; then
        return 0
    fi
    say "Cài thư viện Python từ requirements-dev.txt"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
    echo "$digest" >"$stamp"
}

install_debian_packages
install_python_packages
mkdir -p var
