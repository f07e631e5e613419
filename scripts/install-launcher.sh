#!/usr/bin/env bash
# Makes `annotator` a command: a symbolic link in ~/.local/bin (or $XDG_BIN_HOME), the folder
# pipx and uv put commands in and Debian's ~/.profile adds to PATH, to an installation's
# annotator. run-app.sh runs it; the link points into the checkout, so moving the checkout
# means running run-app.sh again.
#
#   bash scripts/install-launcher.sh PATH/TO/VENV/bin/annotator
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/VENV/bin/annotator" >&2; exit 2; }
# Absolute, but the venv's own links kept: resolving them would name the system python.
target=$(realpath -s -- "$1")
if [ ! -x "$target" ] || [ -d "$target" ]; then
    echo "install-launcher: $target is not a program" >&2
    exit 1
fi
bindir=${XDG_BIN_HOME:-$HOME/.local/bin}
link=$bindir/annotator
if [ -e "$link" ] || [ -L "$link" ]; then
    current=$(readlink -- "$link" || true)
    # Only a link an earlier run made is replaced: another annotator (pipx, a script of the
    # user's) stays.
    case "$current" in
        "$target" | */.venv-app/bin/annotator) ;;
        *)
            echo "install-launcher: $link already exists and is not ours; left as it is." \
                "This installation's command is $target" >&2
            exit 1
            ;;
    esac
fi
mkdir -p -- "$bindir"
ln -sfn -- "$target" "$link"
echo "the annotator command: $link -> $target"
case ":$PATH:" in
    *":$bindir:"* | *":$bindir/:"*) ;;
    *)
        echo "$bindir is not on your PATH: log in again (Debian's ~/.profile adds it when it" \
            "exists) or add   export PATH=\"$bindir:\$PATH\"   to ~/.bashrc"
        ;;
esac
