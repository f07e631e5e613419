"""Writing a file so that readers see either the old content or the complete new content.

An export can take minutes and can be cancelled, killed or run out of disk space; a dataset file
cut off halfway would still parse line by line and silently lose documents. So the data goes to
a temporary file beside the target (same folder, hence same file system, so the final rename is
atomic) and only replaces the target once it is complete and on disk.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

_TEMP_ATTEMPTS = 100


def _create_temp(folder: Path, name: str) -> tuple[int, Path]:
    # os.open with 0o666 (not tempfile's 0o600) so the finished file gets the permissions the
    # user's umask asks for, like any file their editor would write.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_TEMP_ATTEMPTS):
        temp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file in {folder}")


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not possible (nor needed) on every platform.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(
    path: str | os.PathLike[str],
    mode: str = "w",
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Open a temporary file for writing; on success it replaces ``path``.

    On any exception (KeyboardInterrupt and cancellation included) the temporary file is
    removed and ``path`` keeps whatever it held before.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_writer writes text ('w') or bytes ('wb'), not {mode!r}")
    target = Path(path)
    binary = mode == "wb"
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder")
    folder = target.parent
    fd, temp = _create_temp(folder, target.name)
    fh: IO[Any]
    try:
        if binary:
            fh = os.fdopen(fd, "wb")
        else:
            fh = os.fdopen(fd, "w", encoding=encoding, newline=newline)
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileNotFoundError):
            # Replacing a file must not quietly change who may read it.
            os.chmod(temp, target.stat().st_mode & 0o7777)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
    log.debug("wrote %s", target)


#: A folder export leaves this file in the folder: a later export may then replace the folder
#: as a whole, while a folder the user filled with other things is never deleted.
FOLDER_MARK = ".annotator-export"


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Fill a temporary folder beside ``path``; on success it takes the place of ``path``.

    ``path`` may be missing, an empty folder, or a folder an earlier export made (it holds
    FOLDER_MARK); anything else raises FileExistsError before any work, so a user's own files
    are never replaced. On any exception the temporary folder is removed.
    """
    target = Path(path)
    if target.exists():
        if not target.is_dir():
            raise FileExistsError(f"{target} exists and is not a folder")
        if any(target.iterdir()) and not (target / FOLDER_MARK).is_file():
            raise FileExistsError(
                f"{target} is a folder with other files in it: choose a new or empty folder"
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    temp.mkdir()
    try:
        yield temp
        (temp / FOLDER_MARK).write_text(
            "Written by annotator's export; the next export to this folder replaces it.\n",
            encoding="utf-8",
        )
        old = None
        if target.exists():
            old = target.parent / f".{target.name}.{secrets.token_hex(4)}.old"
            target.rename(old)
        temp.rename(target)
        _fsync_folder(target.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
