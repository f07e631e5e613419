"""`annotator install-desktop`, run as a user runs it, into a temporary XDG_DATA_HOME: the entry
passes desktop-file-validate, GLib's own launcher (what GNOME's and most menus use) starts the
program it names with the files given, the icon sits where the icon theme spec says, and
--uninstall removes both."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from needs import missing

from annotator.core.resources import resource

REPO = Path(__file__).resolve().parents[2]


def _run(
    *args: str, env: dict[str, str], python: str = sys.executable, extra_path: str = ""
) -> subprocess.CompletedProcess:
    full = {**os.environ, **env}
    if extra_path:
        full["PYTHONPATH"] = extra_path
    return subprocess.run([python, "-m", "annotator", *args], capture_output=True, text=True,
                          env=full, timeout=120)  # fmt: skip


def _entry_values(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))


def _validate(path: Path) -> None:
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        missing("desktop-file-validate missing (scripts/system-deps.sh --test installs it)")
    checked = subprocess.run([validator, str(path)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip() == "", checked.stdout  # no warnings or hints either


def test_install_writes_a_valid_entry_that_starts_this_installation(tmp_path):
    data = tmp_path / "data"
    result = _run("install-desktop", env={"XDG_DATA_HOME": str(data)})
    assert result.returncode == 0, result.stderr

    entry = data / "applications" / "annotator.desktop"
    icon = data / "icons" / "hicolor" / "scalable" / "apps" / "annotator.svg"
    assert result.stdout.splitlines() == [f"installed the menu entry {entry}",
                                          f"installed the icon {icon}"]  # fmt: skip
    _validate(entry)
    values = _entry_values(entry)
    program = Path(sys.executable).parent / "annotator"
    assert values["Exec"] == f"{program} gui %F"
    assert values["TryExec"] == str(program)
    assert values["Icon"] == "annotator"
    assert values["Categories"] == "Office;"
    assert values["Type"] == "Application"
    # The program the menu starts is a working annotator.
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True,
                             timeout=60)  # fmt: skip
    assert version.stdout.startswith("annotator "), version

    assert icon.read_bytes() == resource("icons", "annotator.svg").read_bytes()
    assert ET.parse(icon).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert oct(entry.stat().st_mode & 0o777) == "0o644"


@pytest.mark.parametrize(
    "folder",
    ['my "articles" $HOME `x` \\ (old)', "drafts 100% done"],
    ids=["shell-characters", "percent"],
)
def test_a_path_with_spaces_and_shell_characters_is_quoted_so_menus_start_it(folder, tmp_path):
    gio = shutil.which("gio")
    if gio is None:
        missing("gio missing (Debian libglib2.0-bin; scripts/system-deps.sh --test)")
    # An installation in an awkward folder: its python (a link to this one, reading the same
    # packages) and an `annotator` program that records how it was called.
    bin_dir = tmp_path / folder / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    called = tmp_path / "argv.txt"
    program = bin_dir / "annotator"
    program.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{called}.part"\n'
                       f'mv "{called}.part" "{called}"\n', encoding="utf-8")  # fmt: skip
    program.chmod(0o755)
    data = tmp_path / "data"
    packages = os.pathsep.join([str(REPO), *site.getsitepackages()])
    result = _run("install-desktop", env={"XDG_DATA_HOME": str(data)},
                  python=str(bin_dir / "python"), extra_path=packages)  # fmt: skip
    assert result.returncode == 0, result.stderr
    entry = data / "applications" / "annotator.desktop"
    _validate(entry)

    article = tmp_path / "an article (draft).txt"
    article.write_text("Josh Kerr won.", encoding="utf-8")
    launched = subprocess.run([gio, "launch", str(entry), str(article)], capture_output=True,
                              text=True, timeout=60)  # fmt: skip
    assert launched.returncode == 0, launched.stderr
    deadline = time.monotonic() + 30
    while not called.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert called.read_text(encoding="utf-8").splitlines() == ["gui", str(article)]


def test_uninstall_removes_the_entry_and_the_icon_and_nothing_else(tmp_path):
    data = tmp_path / "data"
    env = {"XDG_DATA_HOME": str(data)}
    assert _run("install-desktop", env=env).returncode == 0
    neighbour = data / "applications" / "other.desktop"
    neighbour.write_text("[Desktop Entry]\n", encoding="utf-8")

    result = _run("install-desktop", "--uninstall", env=env)
    assert result.returncode == 0, result.stderr
    assert not (data / "applications" / "annotator.desktop").exists()
    assert not (data / "icons" / "hicolor" / "scalable" / "apps" / "annotator.svg").exists()
    assert neighbour.exists()
    assert len(result.stdout.splitlines()) == 2

    again = _run("install-desktop", "--uninstall", env=env)
    assert again.returncode == 0
    assert again.stdout.startswith("nothing to remove")


def test_a_relative_xdg_data_home_is_ignored_as_the_spec_says(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = _run("install-desktop", env={"XDG_DATA_HOME": "relative/data", "HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert (home / ".local" / "share" / "applications" / "annotator.desktop").is_file()
    assert not (tmp_path / "relative").exists()


def test_an_unwritable_place_is_one_line_and_status_2(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    result = _run("install-desktop", env={"XDG_DATA_HOME": str(blocker)})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"annotator: error: cannot write {blocker}")
