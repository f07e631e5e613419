#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Qt needs to run (offscreen and on a real X server),
# only when some are missing, so a second run costs nothing. With --test, also what the test
# suite needs: a PostgreSQL server (scripts/pg-test-server.sh runs a private one).
# Not root and no usable sudo: it names the packages and the apt-get line for an administrator.
# ANNOTATOR_SKIP_SYSTEM_DEPS=1 skips it (the packages came some other way).
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
    # A C compiler and the Python headers: pip install compiles the suggestion engine with
    # mypyc (hatch_build.py).
    gcc python3-dev
    libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6
    libxkbcommon0 fonts-dejavu-core
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-xinerama0 libxcb-randr0
    # The spelling suggester: pyenchant's C library and the Hunspell dictionaries it loads.
    libenchant-2-2 hunspell-en-gb hunspell-en-us
    # The report's fonts besides DejaVu (annotator/core/formats/report.py): Greek, Cyrillic
    # and Arabic (noto-core, 43 MB), Chinese, Japanese, Korean (noto-cjk, 91 MB), emoji
    # (10 MB); without them a quote in those scripts prints as empty boxes.
    fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
)
if [ "$with_tests" -eq 1 ]; then
    # postgresql brings the server binaries (/usr/lib/postgresql/*/bin) and the postgres
    # system user the test server runs as when the tests run as root.
    packages+=(postgresql)
    # desktop-file-validate checks the menu entry `annotator install-desktop` writes, and gio
    # launches it as a desktop menu would.
    packages+=(desktop-file-utils libglib2.0-bin)
    # LibreOffice Calc, headless, reads the .xlsx export as a user's spreadsheet would.
    packages+=(libreoffice-calc-nogui)
fi
if [ "${ANNOTATOR_SKIP_SYSTEM_DEPS:-0}" = 1 ]; then
    echo "ANNOTATOR_SKIP_SYSTEM_DEPS=1: not checking the system packages" >&2
    exit 0
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
# Says what to ask for instead of failing on a command we may not run; $1 is why.
ask_an_administrator() {
    {
        echo "annotator needs these system packages, which are not installed:"
        echo "    ${missing[*]}"
        echo "$1"
        echo "Ask an administrator to install them, as root:"
        echo "    apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
        echo "then run this script again (or set ANNOTATOR_SKIP_SYSTEM_DEPS=1 to go on without)."
    } >&2
    exit 1
}
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    ask_an_administrator "This is not a Debian or Ubuntu system (no apt-get): install the \
equivalent packages with its own package manager."
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        ask_an_administrator "You ($(id -un)) are not root and sudo is not installed, so \
this script cannot install them."
    fi
    sudo=(sudo)
    # Without a terminal sudo cannot ask for a password: refuse at once instead of hanging.
    [ -t 0 ] || sudo=(sudo -n)
    if ! "${sudo[@]}" -v; then
        ask_an_administrator "sudo did not let you ($(id -un)) install them (its reason is \
above; in a terminal it asks for your password)."
    fi
fi
echo "Installing system packages: ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
