"""The set-up scripts' pieces, run for real in subprocesses (never the whole run-app.sh, which
installs packages): the no-root advice of system-deps.sh as a real unprivileged user, the
`annotator` launcher, and the two set-up commands' separate virtual environments."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
NOBODY = 65534
# Two packages the Qt window needs, pretended away in a copy of dpkg's database.
GONE = ("libxcb-cursor0", "libxkbcommon0")


def _as_user_without_sudo() -> list[str]:
    """A command prefix that runs as a real user who is not root and cannot use sudo."""
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.fail("setpriv (util-linux) is needed to run as an unprivileged user")
        return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    if shutil.which("sudo") is None:
        return []  # this user already is what the test needs
    pytest.skip("needs root (to become nobody) or a user without sudo")


@pytest.fixture
def readable() -> Iterator[Path]:
    """A folder the unprivileged user can read, holding a copy of system-deps.sh: pytest's
    tmp_path is 0700, and a checkout under /root would be out of reach too."""
    with tempfile.TemporaryDirectory(prefix="annotator-setup-") as folder:
        os.chmod(folder, 0o755)
        script = Path(folder) / "system-deps.sh"
        shutil.copyfile(SCRIPTS / "system-deps.sh", script)
        os.chmod(script, 0o644)
        yield Path(folder)


@pytest.fixture
def dpkg_without_some_packages(readable: Path) -> Path:
    """A copy of dpkg's status database lacking GONE; dpkg-query reads it through
    DPKG_ADMINDIR."""
    status = Path("/var/lib/dpkg/status")
    if not status.is_file():
        pytest.skip("not a Debian system")
    stanzas = status.read_text(encoding="utf-8").split("\n\n")
    kept = [s for s in stanzas
            if not any(s.startswith(f"Package: {p}\n") for p in GONE)]  # fmt: skip
    assert len(kept) == len(stanzas) - len(GONE), "the test's packages are not installed"
    admin = readable / "dpkg"
    admin.mkdir(mode=0o755)
    (admin / "status").write_text("\n\n".join(kept), encoding="utf-8")
    os.chmod(admin / "status", 0o644)
    return admin


def _system_deps(
    prefix: list[str], folder: Path, admin: Path | None, *args: str, **env: str
) -> subprocess.CompletedProcess:
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", **env}
    if admin is not None:
        full["DPKG_ADMINDIR"] = str(admin)
    return subprocess.run([*prefix, "bash", str(folder / "system-deps.sh"), *args],
                          capture_output=True, text=True, env=full, cwd="/",
                          stdin=subprocess.DEVNULL, timeout=120)  # fmt: skip


def test_without_root_or_sudo_it_names_the_packages_and_the_line_for_an_administrator(
    readable,
    dpkg_without_some_packages,
):
    prefix = _as_user_without_sudo()
    result = _system_deps(prefix, readable, dpkg_without_some_packages)

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "annotator needs these system packages, which are not installed:"
    assert lines[1].split() == [p for p in _declared_packages() if p in GONE]
    assert re.search(r"not root and sudo is not installed|sudo did not let you", lines[2])
    assert (
        "apt-get update && apt-get install -y --no-install-recommends " + " ".join(lines[1].split())
        in result.stderr
    )
    assert "then run this script again" in lines[-1]
    # Nothing was tried that could only fail: no apt-get or sudo error of its own.
    assert "Permission denied" not in result.stderr
    assert "command not found" not in result.stderr
    assert "Installing system packages" not in result.stderr


def test_without_root_nothing_missing_is_quiet_success(readable):
    prefix = _as_user_without_sudo()
    if _missing_here():
        pytest.skip("this machine lacks some of the packages itself")
    result = _system_deps(prefix, readable, None)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_escape_hatch_skips_the_check(readable, dpkg_without_some_packages):
    prefix = _as_user_without_sudo()
    result = _system_deps(
        prefix, readable, dpkg_without_some_packages, ANNOTATOR_SKIP_SYSTEM_DEPS="1"
    )
    assert result.returncode == 0, result.stderr
    assert "not checking the system packages" in result.stderr


def _declared_packages() -> list[str]:
    """The packages system-deps.sh asks for (without --test), in its order."""
    text = (SCRIPTS / "system-deps.sh").read_text(encoding="utf-8")
    block = text.split("packages=(", 1)[1].split("\n)", 1)[0]
    words = []
    for line in block.splitlines():
        words += line.split("#", 1)[0].split()
    return words


def _missing_here() -> bool:
    for package in _declared_packages():
        found = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package],
                               capture_output=True, text=True)  # fmt: skip
        if "install ok installed" not in found.stdout:
            return True
    return False


# The launcher ------------------------------------------------------------------------------


def _launcher(target: str, home: Path, path: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {"HOME": str(home), "PATH": path, "LANG": "C.UTF-8"}
    return subprocess.run(["bash", str(SCRIPTS / "install-launcher.sh"), target],
                          capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=60)  # fmt: skip


@pytest.fixture
def installation(tmp_path) -> Path:
    """An installation's bin/annotator: this test run's own console script."""
    program = Path(sys.executable).parent / "annotator"
    if not program.is_file():
        pytest.skip("annotator is not installed beside this python")
    return program


def test_the_launcher_makes_annotator_a_command_and_says_when_path_lacks_it(installation, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = _launcher(str(installation), home, "/usr/bin:/bin")
    assert result.returncode == 0, result.stderr

    link = home / ".local" / "bin" / "annotator"
    assert link.is_symlink()
    assert Path(os.readlink(link)) == installation
    bindir = str(home / ".local" / "bin")
    assert f"{bindir} is not on your PATH" in result.stdout
    # Found by name through PATH, as a newcomer types it.
    typed = subprocess.run(["annotator", "--version"], capture_output=True, text=True,
                           env={"PATH": f"{bindir}:/usr/bin:/bin", "HOME": str(home)},
                           timeout=60)  # fmt: skip
    assert typed.returncode == 0, typed.stderr
    assert typed.stdout.startswith("annotator ")

    again = _launcher(str(installation), home, f"/usr/bin:{bindir}:/bin")
    assert again.returncode == 0, again.stderr
    assert "not on your PATH" not in again.stdout
    assert Path(os.readlink(link)) == installation


def test_a_relative_target_becomes_an_absolute_link(installation, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    relative = os.path.relpath(installation, installation.parents[2])
    result = _launcher(relative, home, "/usr/bin:/bin", cwd=installation.parents[2])
    assert result.returncode == 0, result.stderr
    assert Path(os.readlink(home / ".local" / "bin" / "annotator")) == installation


def test_someone_elses_annotator_command_is_left_alone(installation, tmp_path):
    home = tmp_path / "home"
    bindir = home / ".local" / "bin"
    bindir.mkdir(parents=True)
    theirs = bindir / "annotator"
    theirs.write_text("#!/bin/sh\necho mine\n", encoding="utf-8")
    result = _launcher(str(installation), home, "/usr/bin:/bin")
    assert result.returncode == 1
    assert "already exists and is not ours; left as it is" in result.stderr
    assert theirs.read_text(encoding="utf-8") == "#!/bin/sh\necho mine\n"


def test_a_link_from_an_earlier_checkout_is_replaced(installation, tmp_path):
    home = tmp_path / "home"
    bindir = home / ".local" / "bin"
    bindir.mkdir(parents=True)
    (bindir / "annotator").symlink_to(tmp_path / "moved" / ".venv-app" / "bin" / "annotator")
    result = _launcher(str(installation), home, "/usr/bin:/bin")
    assert result.returncode == 0, result.stderr
    assert Path(os.readlink(bindir / "annotator")) == installation


def test_a_target_that_is_not_a_program_is_refused(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = _launcher(str(tmp_path / "nothing" / "annotator"), home, "/usr/bin:/bin")
    assert result.returncode == 1
    assert "is not a program" in result.stderr
    assert not (home / ".local" / "bin" / "annotator").exists()


# Two set-up commands, two virtual environments ------------------------------------------------


def _venv_of(script: str) -> str:
    text = (SCRIPTS / script).read_text(encoding="utf-8")
    (venv,) = re.findall(r"^source scripts/venv\.sh (\S+)$", text, flags=re.M)
    return venv


def test_run_app_and_run_tests_install_into_different_environments():
    app_venv, test_venv = _venv_of("run-app.sh"), _venv_of("run-tests.sh")
    assert app_venv != test_venv
    app = (SCRIPTS / "run-app.sh").read_text(encoding="utf-8")
    tests = (SCRIPTS / "run-tests.sh").read_text(encoding="utf-8")
    # Each installs into its own, and only there.
    assert re.findall(r"^(\S+)/bin/python -m pip install", app, flags=re.M) == [app_venv]
    assert re.findall(r"^(\S+)/bin/python -m pip install", tests, flags=re.M) == [test_venv]
    assert f"{app_venv}/bin/annotator install-desktop" in app
    assert "bash scripts/run-tests.sh" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_venv_sh_creates_the_environment_it_is_given(tmp_path):
    target = tmp_path / "env one"
    # No index: the venv's bundled pip satisfies the upgrade offline.
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "PYTHON": sys.executable}  # fmt: skip
    made = subprocess.run(["bash", "-c", 'source scripts/venv.sh "$1"', "_", str(target)],
                          cwd=REPO, capture_output=True, text=True, env=env,
                          timeout=300)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert (target / "bin" / "python").is_file()
    assert (target / "pyvenv.cfg").is_file()

    bare = subprocess.run(["bash", "-c", "source scripts/venv.sh"], cwd=REPO,
                          capture_output=True, text=True, env=env, timeout=60)  # fmt: skip
    assert bare.returncode != 0
    assert "usage: source scripts/venv.sh VENV_DIR" in bare.stderr
