"""Tagsets: the labels a project uses, read from TOML (see resources/tagsets/default.toml)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.resources import resource

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TEXT_ATTRIBUTES = ("correction", "note")


class TagsetError(ValueError):
    """A tagset file that cannot be used; the message says which file and what is wrong."""


@dataclass(frozen=True, slots=True)
class LabelDef:
    key: str
    name: str
    color: str
    shortcut: str
    error_types: tuple[str, ...] = ()
    text_attributes: tuple[str, ...] = ()

    @property
    def has_error_fields(self) -> bool:
        return bool(self.error_types) or bool(self.text_attributes)


@dataclass(frozen=True, slots=True)
class Tagset:
    name: str
    labels: tuple[LabelDef, ...]
    _by_key: dict[str, LabelDef] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({label.key: label for label in self.labels})

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def get(self, key: str) -> LabelDef | None:
        return self._by_key.get(key)

    def __getitem__(self, key: str) -> LabelDef:
        return self._by_key[key]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(label.key for label in self.labels)


def default_tagset_path() -> Path:
    return resource("tagsets", "default.toml")


def load_tagset(path: Path | str | None = None) -> Tagset:
    path = Path(path) if path is not None else default_tagset_path()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TagsetError(f"{path}: cannot read tagset ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TagsetError(f"{path}: not a valid TOML file ({exc})") from None
    try:
        return parse_tagset(data)
    except TagsetError as exc:
        raise TagsetError(f"{path}: {exc}") from None


def parse_tagset(data: dict) -> Tagset:
    entries = data.get("label")
    if not isinstance(entries, list) or not entries:
        raise TagsetError("no [[label]] entries")
    labels: list[LabelDef] = []
    seen_keys: set[str] = set()
    seen_shortcuts: set[str] = set()
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise TagsetError(f"label #{n} is not a table")
        key = entry.get("key")
        if not isinstance(key, str) or not _KEY.match(key):
            raise TagsetError(
                f"label #{n}: key {key!r} must be lower-case letters, digits or '_' "
                "and start with a letter"
            )
        where = f"label {key!r}"
        if key in seen_keys:
            raise TagsetError(f"{where} is defined twice")
        name = entry.get("name", key.capitalize())
        if not isinstance(name, str) or not name.strip():
            raise TagsetError(f"{where}: name must be a non-empty string")
        color = entry.get("color")
        if not isinstance(color, str) or not _COLOR.match(color):
            raise TagsetError(f"{where}: color {color!r} must look like '#4e79a7'")
        shortcut = entry.get("shortcut")
        if not isinstance(shortcut, str) or len(shortcut) != 1 or not shortcut.isprintable():
            raise TagsetError(f"{where}: shortcut {shortcut!r} must be a single key")
        if shortcut.isspace():
            raise TagsetError(f"{where}: shortcut must not be a space")
        if shortcut.lower() in seen_shortcuts:
            raise TagsetError(f"{where}: shortcut {shortcut!r} is already used")
        error_types, text_attrs = _parse_attributes(where, entry.get("attributes", {}))
        unknown = set(entry) - {"key", "name", "color", "shortcut", "attributes"}
        if unknown:
            raise TagsetError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        seen_keys.add(key)
        seen_shortcuts.add(shortcut.lower())
        labels.append(LabelDef(key, name.strip(), color.lower(), shortcut, error_types, text_attrs))
    tagset_name = data.get("name", "tagset")
    if not isinstance(tagset_name, str):
        raise TagsetError("name must be a string")
    return Tagset(tagset_name, tuple(labels))


def _parse_attributes(where: str, attrs: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(attrs, dict):
        raise TagsetError(f"{where}: attributes must be a table")
    error_types: tuple[str, ...] = ()
    text_attrs: list[str] = []
    for name, spec in attrs.items():
        if name == "error_type":
            if (
                not isinstance(spec, list)
                or not spec
                or not all(isinstance(v, str) and _KEY.match(v) for v in spec)
                or len(set(spec)) != len(spec)
            ):
                raise TagsetError(
                    f"{where}: error_type must be a list of distinct lower-case identifiers"
                )
            error_types = tuple(spec)
        elif name in _TEXT_ATTRIBUTES:
            if spec != "text":
                raise TagsetError(f'{where}: attribute {name!r} must be "text"')
            text_attrs.append(name)
        else:
            raise TagsetError(
                f"{where}: unknown attribute {name!r} (known: error_type, correction, note)"
            )
    return error_types, tuple(text_attrs)
