"""atomic_writer: the target holds the old content or the complete new content, never a part."""

from __future__ import annotations

import csv
import os
import stat

import pytest

from annotator.core.atomic import atomic_writer


class Stop(Exception):
    pass


def _leftovers(folder, target_name):
    return sorted(p.name for p in folder.iterdir() if p.name != target_name)


def test_a_new_file_appears_complete_and_no_temporary_file_is_left(tmp_path):
    target = tmp_path / "out.jsonl"
    with atomic_writer(target) as fh:
        fh.write("første linje 🏃\n")
        fh.write("second\n")
        # Nothing is visible under the target name until the block ends.
        assert not target.exists()
    assert target.read_text(encoding="utf-8") == "første linje 🏃\nsecond\n"
    assert _leftovers(tmp_path, "out.jsonl") == []


@pytest.mark.parametrize("error", [Stop, KeyboardInterrupt, SystemExit])
def test_an_error_midway_keeps_the_old_content_and_removes_the_temporary_file(tmp_path, error):
    target = tmp_path / "data.csv"
    target.write_text("old content\n", encoding="utf-8")
    with pytest.raises(error), atomic_writer(target) as fh:
        fh.write("half of the new")
        fh.flush()
        raise error()
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert _leftovers(tmp_path, "data.csv") == []


def test_an_error_before_the_first_write_leaves_no_file_at_all(tmp_path):
    target = tmp_path / "never.jsonl"
    with pytest.raises(Stop), atomic_writer(target):
        raise Stop()
    assert list(tmp_path.iterdir()) == []


def test_binary_mode_writes_bytes_unchanged(tmp_path):
    target = tmp_path / "blob.bin"
    with atomic_writer(target, "wb") as fh:
        fh.write(b"\x00\xff\r\n")
    assert target.read_bytes() == b"\x00\xff\r\n"


def test_newline_is_passed_through_so_csv_controls_its_own_line_ends(tmp_path):
    target = tmp_path / "rows.csv"
    with atomic_writer(target, newline="") as fh:
        csv.writer(fh).writerows([["a", "multi\nline"], ["b", "c"]])
    assert target.read_bytes() == b'a,"multi\nline"\r\nb,c\r\n'


def test_replacing_a_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "shared.jsonl"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    with atomic_writer(target) as fh:
        fh.write("new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_gets_the_permissions_the_umask_allows(tmp_path):
    old = os.umask(0o027)
    try:
        with atomic_writer(tmp_path / "new.jsonl") as fh:
            fh.write("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.jsonl").stat().st_mode) == 0o640


def test_a_missing_folder_or_a_folder_as_target_raises_before_writing(tmp_path):
    with pytest.raises(FileNotFoundError), atomic_writer(tmp_path / "no" / "such.csv"):
        pass
    (tmp_path / "dir").mkdir()
    with pytest.raises(IsADirectoryError), atomic_writer(tmp_path / "dir"):
        pass
    assert [p.name for p in tmp_path.iterdir()] == ["dir"]
    assert list((tmp_path / "dir").iterdir()) == []


def test_read_modes_are_refused(tmp_path):
    with pytest.raises(ValueError, match="writes"), atomic_writer(tmp_path / "x", "r"):
        pass


# -- folders ----------------------------------------------------------------------------------


def test_a_folder_appears_only_when_complete_and_replaces_an_earlier_export(tmp_path):
    from annotator.core.atomic import FOLDER_MARK, atomic_folder

    target = tmp_path / "brat"
    with atomic_folder(target) as folder:
        (folder / "a.txt").write_text("first", encoding="utf-8")
        assert not target.exists()  # nothing at the target while it is being filled
    assert (target / "a.txt").read_text(encoding="utf-8") == "first"
    assert (target / FOLDER_MARK).is_file()

    with atomic_folder(target) as folder:
        (folder / "b.txt").write_text("second", encoding="utf-8")
    assert sorted(p.name for p in target.iterdir()) == [FOLDER_MARK, "b.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["brat"]  # no temporary folders left


def test_a_failed_folder_export_leaves_the_earlier_one(tmp_path):
    from annotator.core.atomic import atomic_folder

    target = tmp_path / "brat"
    with atomic_folder(target) as folder:
        (folder / "a.txt").write_text("kept", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_folder(target) as folder:
        (folder / "half.txt").write_text("half", encoding="utf-8")
        raise RuntimeError("cancelled")
    assert (target / "a.txt").read_text(encoding="utf-8") == "kept"
    assert not (target / "half.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["brat"]


def test_a_folder_of_the_users_own_files_is_never_replaced(tmp_path):
    from annotator.core.atomic import atomic_folder

    own = tmp_path / "thesis"
    own.mkdir()
    (own / "chapter1.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(FileExistsError, match="other files"), atomic_folder(own):
        pytest.fail("must refuse before any work")
    assert (own / "chapter1.txt").read_text(encoding="utf-8") == "precious"
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not a folder"), atomic_folder(a_file):
        pass
    empty = tmp_path / "empty"
    empty.mkdir()
    with atomic_folder(empty) as folder:
        (folder / "a.txt").write_text("ok", encoding="utf-8")
    assert (empty / "a.txt").is_file()
