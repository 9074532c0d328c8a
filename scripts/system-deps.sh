#!/usr/bin/env bash
# Install the Debian packages the tests need, only when one is missing (checked with dpkg -s).
# Never fails the build: without them the browser and PDF tests skip.
set -uo pipefail

PACKAGES=(chromium fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0)   # Pango: WeasyPrint (bulletin PDF)
LOG="${HOTLINE_VAR:-var}/log/system-deps.log"

if ! command -v dpkg >/dev/null; then
    echo "system-deps: not a Debian system; install ${PACKAGES[*]} yourself (browser/PDF tests will skip)"
    exit 0
fi

missing=()
for package in "${PACKAGES[@]}"; do
    dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
    echo "system-deps: missing ${missing[*]}; not root, so not installing them."
    echo "            Run: sudo apt-get install ${missing[*]}   (until then browser/PDF tests skip)"
    exit 0
fi

mkdir -p "$(dirname "$LOG")"
echo "system-deps: installing ${missing[*]} with apt-get (log: $LOG) ..."
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >>"$LOG" 2>&1 &&
    apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 \
        "${missing[@]}" >>"$LOG" 2>&1; then
    echo "system-deps: installed ${missing[*]}"
else
    echo "system-deps: WARNING: apt-get could not install ${missing[*]}; continuing without them"
    echo "             (browser and PDF tests will skip). Last lines of $LOG:"
    tail -n 5 "$LOG" | sed 's/^/               /'
fi
exit 0
