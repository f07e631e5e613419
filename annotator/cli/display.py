"""Whether ``annotator gui`` has a screen to open on, checked before Qt is loaded.

Without one, Qt aborts with "Could not load the Qt platform plugin "xcb" ... Reinstalling the
application may fix this problem", which sends a user after the wrong fault. On Linux the
window needs a Wayland compositor or an X server: this says which is missing, and how to run
it anyway.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

X11_SOCKETS = Path("/tmp/.X11-unix")
# A local X display (":0", ":1.0", "unix:2"); "host:10.0" (ssh -X) goes over TCP and is left to Qt.
_LOCAL_X = re.compile(r"(?:unix)?:(?P<n>\d+)(?:\.\d+)?")
_HOW = (
    "Run it in a desktop session, over `ssh -X`, or on a virtual screen (`xvfb-run annotator "
    "gui`); QT_QPA_PLATFORM=offscreen opens it with no screen at all. Every other command "
    "works without one (annotator --help)."
)


def missing_display(
    env: Mapping[str, str] | None = None,
    *,
    platform: str = sys.platform,
    sockets: Path = X11_SOCKETS,
) -> str | None:
    """Why the window cannot open here, or None when it can (or when that is Qt's to say)."""
    env = os.environ if env is None else env
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return None  # another system, or a platform plugin the user chose
    if env.get("WAYLAND_DISPLAY"):
        return None
    display = env.get("DISPLAY", "")
    if not display:
        return f"annotator gui needs a screen, and none is set (DISPLAY, WAYLAND_DISPLAY). {_HOW}"
    local = _LOCAL_X.fullmatch(display)
    if local is not None and not _x_server_answers(sockets / f"X{local['n']}"):
        return f"annotator gui found no X server at DISPLAY={display}. {_HOW}"
    return None


def _x_server_answers(path: Path) -> bool:
    # X servers on Linux listen on the socket file and on the same name in the abstract
    # namespace; either answering will do.
    for address in (str(path), "\0" + str(path)):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            try:
                sock.connect(address)
            except OSError:
                continue
            return True
    return False


__all__ = ["missing_display"]
