from pathlib import Path

import pytest

from annotator.core.model import ERROR_TYPES
from annotator.core.tagset import TagsetError, load_tagset


def test_default_tagset_has_the_four_labels_with_their_keys():
    tagset = load_tagset()
    assert tagset.keys == ("athlete", "event", "date", "error")
    assert [label.shortcut for label in tagset.labels] == ["1", "2", "3", "4"]
    error = tagset["error"]
    assert error.error_types == ERROR_TYPES
    assert set(error.text_attributes) == {"correction", "note"}
    assert not tagset["athlete"].has_error_fields


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "tags.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_users_own_tagset_loads(tmp_path):
    path = _write(
        tmp_path,
        '[[label]]\nkey = "coach"\nname = "Coach"\ncolor = "#112233"\nshortcut = "c"\n',
    )
    tagset = load_tagset(path)
    assert tagset.keys == ("coach",)
    assert tagset["coach"].color == "#112233"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "no [[label]]"),
        ("[[label]\n", "not a valid TOML"),
        ('[[label]]\nkey = "Bad Key"\ncolor = "#112233"\nshortcut = "1"\n', "key 'Bad Key'"),
        ('[[label]]\nkey = "a"\ncolor = "red"\nshortcut = "1"\n', "color 'red'"),
        ('[[label]]\nkey = "a"\ncolor = "#112233"\nshortcut = "12"\n', "single key"),
        (
            '[[label]]\nkey = "a"\ncolor = "#112233"\nshortcut = "1"\n'
            '[[label]]\nkey = "b"\ncolor = "#112233"\nshortcut = "1"\n',
            "already used",
        ),
        (
            '[[label]]\nkey = "a"\ncolor = "#112233"\nshortcut = "1"\n'
            '[[label]]\nkey = "a"\ncolor = "#112233"\nshortcut = "2"\n',
            "defined twice",
        ),
        (
            '[[label]]\nkey = "a"\ncolor = "#112233"\nshortcut = "1"\n'
            '[label.attributes]\nsize = "text"\n',
            "unknown attribute 'size'",
        ),
    ],
)
def test_an_invalid_tagset_names_the_file_and_the_problem(tmp_path, body, message):
    path = _write(tmp_path, body)
    with pytest.raises(TagsetError) as info:
        load_tagset(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_a_missing_tagset_file_is_a_tagset_error(tmp_path):
    with pytest.raises(TagsetError, match="cannot read"):
        load_tagset(tmp_path / "nope.toml")


def test_a_binary_tagset_file_is_a_tagset_error(tmp_path):
    path = tmp_path / "tags.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff")
    with pytest.raises(TagsetError, match="not a valid TOML"):
        load_tagset(path)
