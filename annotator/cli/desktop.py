"""`annotator install-desktop`: put annotator in the desktop's application menu.

Follows the freedesktop Desktop Entry and Icon Theme specifications: the entry goes to
``$XDG_DATA_HOME/applications`` and the scalable icon to
``$XDG_DATA_HOME/icons/hicolor/scalable/apps``, where every freedesktop menu looks.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from annotator.core.resources import resource

#: The entry's and the icon's file name; the window names itself the same for Wayland.
APP_ID = "annotator"

# The Exec key's reserved characters: an argument holding one must be quoted.
_RESERVED = frozenset(" \t\"'\\><~|&;$*?#()`")


def add_desktop_command(commands: Any, *, user_error: type[Exception]) -> None:
    cmd = commands.add_parser(
        "install-desktop",
        help="add annotator, with its icon, to the desktop's application menu",
        description="Writes annotator.desktop to $XDG_DATA_HOME/applications (default "
        "~/.local/share/applications) and the icon to $XDG_DATA_HOME/icons/hicolor/scalable/"
        "apps. The entry starts this installation's annotator, so it works whatever PATH the "
        "desktop session has. The database is not opened.",
    )
    cmd.add_argument(
        "--uninstall", action="store_true", help="remove the menu entry and the icon instead"
    )
    cmd.set_defaults(handler=lambda args: _cmd_install_desktop(args, user_error))


def _cmd_install_desktop(args: argparse.Namespace, user_error: type[Exception]) -> int:
    home = data_home()
    try:
        if args.uninstall:
            removed = uninstall(home)
            for path in removed:
                print(f"removed {path}")
            if not removed:
                print(f"nothing to remove: no annotator menu entry under {home}")
            return 0
        entry, icon = install(home, annotator_command())
    except OSError as exc:
        where = exc.filename or home
        raise user_error(f"cannot write {where}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise user_error(str(exc)) from None
    print(f"installed the menu entry {entry}")
    print(f"installed the icon {icon}")
    return 0


def data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME", "")
    # The base directory specification: a relative path is invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def entry_path(home: Path) -> Path:
    return home / "applications" / f"{APP_ID}.desktop"


def icon_path(home: Path) -> Path:
    return home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def annotator_command() -> list[str]:
    """The console script beside this interpreter (a venv's bin): a menu starts programs
    without the login shell's PATH, so the entry must not depend on it."""
    script = Path(sys.executable).parent / "annotator"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script.absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "annotator"]


def exec_argument(argument: str) -> str:
    """One argument of the Exec key, quoted and escaped as the specification asks."""
    if "\n" in argument or "\r" in argument:
        raise ValueError(
            f"a menu entry cannot start a program whose path holds a line break: {argument!r}"
        )
    quoted = argument
    if not argument or any(c in _RESERVED for c in argument):
        inner = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        quoted = f'"{inner}"'
    # Then the escapes every string value has: % for field codes, backslash for itself.
    return quoted.replace("%", "%%").replace("\\", "\\\\")


def desktop_entry(command: list[str]) -> str:
    # GLib looks for the program before expanding %% back to %, so an installation in a
    # folder named with % would never appear in GNOME's menu: env (found on PATH) starts it.
    started = ["env", *command] if "%" in command[0] else command
    program = " ".join(exec_argument(a) for a in started)
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        # 1.5 adds nothing used here, and Debian 12's desktop-file-validate refuses it.
        "Version=1.4",
        "Name=Annotator",
        "GenericName=Article annotator",
        "Comment=Mark athletes, events, dates and factual errors in athletics news",
        f"Exec={program} gui %F",
        # Hides the entry once the installation it points at is gone (a plain string value:
        # only the backslash is escaped).
        "TryExec=" + command[0].replace("\\", "\\\\"),
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Office;",
        "Keywords=annotation;fact-checking;athletics;news;dataset;",
    ]
    return "\n".join(lines) + "\n"


def install(home: Path, command: list[str]) -> tuple[Path, Path]:
    icon = icon_path(home)
    _write_atomically(icon, resource("icons", "annotator.svg").read_bytes())
    entry = entry_path(home)
    _write_atomically(entry, desktop_entry(command).encode("utf-8"))
    return entry, icon


def uninstall(home: Path) -> list[Path]:
    removed = []
    for path in (entry_path(home), icon_path(home)):
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def _write_atomically(path: Path, data: bytes) -> None:
    # A menu that rescans mid-write would otherwise show a broken entry or icon.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
