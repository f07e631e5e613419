#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Qt needs to run (offscreen and on a real X server),
# only when some are missing, so a second run costs nothing. With --test, also what the test
# suite needs: a PostgreSQL server (scripts/pg-test-server.sh runs a private one).
set -euo pipefail
with_tests=0
for arg in "$@"; do
    case "$arg" in
        --test) with_tests=1 ;;
        *) echo "usage: $0 [--test]" >&2; exit 2 ;;
    esac
done
packages=(
    python3 python3-venv python3-pip
    libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6
    libxkbcommon0 fonts-dejavu-core
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-xinerama0 libxcb-randr0
    # The spelling suggester: pyenchant's C library and the Hunspell dictionaries it loads.
    libenchant-2-2 hunspell-en-gb hunspell-en-us
)
if [ "$with_tests" -eq 1 ]; then
    # postgresql brings the server binaries (/usr/lib/postgresql/*/bin) and the postgres
    # system user the test server runs as when the tests run as root.
    packages+=(postgresql)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing system packages: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
