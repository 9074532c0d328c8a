#!/usr/bin/env bash
# Create the project's virtual environment: scripts/make-venv.sh [PYTHON] [VENV]
# Needs Python >= 3.11 (Debian 12's python3 is 3.11). On Debian, as root, installs python3 and
# python3-venv when they are missing (Debian ships venv's ensurepip in a separate package).
set -euo pipefail

PYTHON="${1:-python3}"
VENV="${2:-.venv}"

apt_install() {
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "Installing Debian packages: $*"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        return 1
    fi
}

if ! command -v "$PYTHON" >/dev/null; then
    apt_install python3 python3-venv || {
        echo "error: $PYTHON not found. Install Python >= 3.11 (Debian: apt-get install python3 python3-venv)" >&2
        exit 1
    }
fi

if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
    echo "error: hotline needs Python >= 3.11 and $PYTHON is $("$PYTHON" -V 2>&1)." >&2
    echo "       Run with another interpreter, e.g. make run PYTHON=python3.11" >&2
    exit 1
fi

existed=0
[[ -e "$VENV" ]] && existed=1
echo "Creating $VENV with $("$PYTHON" -V 2>&1)"
if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    [[ $existed -eq 0 ]] && rm -rf "$VENV"
    version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install "python${version}-venv" || apt_install python3-venv || {
        echo "error: '$PYTHON -m venv' failed. On Debian: apt-get install python3-venv" >&2
        exit 1
    }
    "$PYTHON" -m venv "$VENV"
fi
