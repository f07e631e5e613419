"""`annotator gui` with no screen says so, instead of Qt's "Reinstalling the application may
fix this problem"; with a screen (or a platform chosen) it goes on to Qt."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli.display import missing_display


def test_no_display_at_all_is_said_plainly(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(tmp_path / "a.sqlite3"), "gui"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "needs a screen" in done.stderr and "xvfb-run" in done.stderr
    assert "platform plugin" not in done.stderr
    assert not (tmp_path / "a.sqlite3").exists()  # nothing was opened


def test_a_local_display_is_checked_for_a_listening_x_server(tmp_path: Path) -> None:
    env = {"DISPLAY": ":7"}
    why = missing_display(env, platform="linux", sockets=tmp_path)
    assert why is not None and "no X server at DISPLAY=:7" in why
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(tmp_path / "X7"))
        server.listen(1)
        assert missing_display(env, platform="linux", sockets=tmp_path) is None
        assert missing_display({"DISPLAY": "unix:7.0"}, platform="linux", sockets=tmp_path) is None


@pytest.mark.parametrize(
    "env",
    [
        {"QT_QPA_PLATFORM": "offscreen"},  # a platform the user chose
        {"WAYLAND_DISPLAY": "wayland-0"},
        {"DISPLAY": "remotehost:10.0"},  # ssh -X: over TCP, Qt's to try
    ],
)
def test_chosen_platforms_and_remote_displays_are_left_to_qt(env, tmp_path: Path) -> None:
    assert missing_display(env, platform="linux", sockets=tmp_path) is None


def test_other_systems_are_left_to_qt(tmp_path: Path) -> None:
    assert missing_display({}, platform="darwin", sockets=tmp_path) is None
    assert missing_display({}, platform="linux", sockets=tmp_path) is not None
