"""Reading UIMA CAS XMI back: the counterpart of ``xmi.XmiWriter``.

Takes our own zip, INCEpTION's per-document zips (the ``.xmi`` beside ``TypeSystem.xml``), an
INCEpTION project export (a zip whose ``annotation/`` and ``curation/`` folders hold such a zip
per document and person: each person's spans come into their layer, the curation into the
curated one), or one ``.xmi`` file with a ``TypeSystem.xml`` in its folder. Spans are the
``webanno.custom.FactCheck`` annotations (see xmi.py); annotations of other types (INCEpTION's
tokens and sentences, other layers) are ignored. A document that cannot be read is rejected
alone, naming its entry; the others still come.

cassis turns the file's UTF-16 offsets into code points. Entries are read one at a time, and an
entry larger than ``MAX_ENTRY_BYTES`` unpacked is refused before it is inflated (a zip bomb, or
a corpus no annotator database should take as one document).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from .records import Record, Rejected
from .xmi import (
    DOCUMENT_INFO_TYPE,
    DOCUMENT_META_TYPE,
    SPAN_FEATURES,
    SPAN_TYPE,
    TYPE_SYSTEM_FILE,
)

MAX_ENTRY_BYTES = 200 * 1024 * 1024
# An INCEpTION project export keeps each document's XMI zipped in these folders.
_PROJECT_FOLDERS = ("annotation/", "curation/")
_CURATION_USER = "CURATION_USER"
_INITIAL_CAS = "INITIAL_CAS"
#: The layer name of curated spans in the database (services/layers.py CURATED): the importer
#: keeps a span's ``layer`` as given.
_CURATED_LAYER = "curated"


class NotXmi(ValueError):
    """The file as a whole cannot be read as XMI (no type system, not a zip); the message
    says why, for the user (the importer names the file)."""


def is_xmi_zip(path: Path) -> bool:
    """Whether ``path`` is a zip holding .xmi files, or (an INCEpTION project export) zips of
    them."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [name.lower() for name in archive.namelist()]
    except (zipfile.BadZipFile, OSError):
        return False
    return any(name.endswith(".xmi") for name in names) or any(
        name.endswith(".zip") and name.startswith(_PROJECT_FOLDERS) for name in names
    )


def xmi_entry_count(path: Path) -> int:
    """How many items ``iter_xmi_records`` will look at (for progress)."""
    if path.suffix.lower() == ".xmi":
        return 1
    try:
        with zipfile.ZipFile(path) as archive:
            return max(
                1, sum(1 for name in archive.namelist() if name.lower().endswith((".xmi", ".zip")))
            )
    except (zipfile.BadZipFile, OSError):
        return 1


def iter_xmi_records(path: Path) -> Iterator[Record | Rejected]:
    """Records from an XMI zip or a single .xmi file (see module docstring). Raises NotXmi
    when there is no type system to read the files with, or the zip is broken."""
    from cassis import load_typesystem

    if path.suffix.lower() == ".xmi":
        ts_path = _beside(path)
        if ts_path is None:
            raise NotXmi(f"no {TYPE_SYSTEM_FILE} beside it (UIMA XMI needs its type system)")
        try:
            with ts_path.open("rb") as fh:
                ts = load_typesystem(fh)
        except Exception as exc:  # cassis raises plain exceptions for a bad type system
            raise NotXmi(f"{ts_path.name} is not a UIMA type system ({_one_line(exc)})") from None
        yield _read_document(path.name, lambda: path.open("rb"), ts)
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise NotXmi(f"not a zip file ({_one_line(exc)})") from None
    with archive:
        yield from _iter_archive(archive, "", nested=True)


def _iter_archive(
    archive: zipfile.ZipFile, prefix: str, *, nested: bool
) -> Iterator[Record | Rejected]:
    from cassis import load_typesystem

    entries = sorted(
        (
            info
            for info in archive.infolist()
            if info.filename.lower().endswith(".xmi") and not info.is_dir()
        ),
        key=lambda i: i.filename,
    )
    inner_zips = (
        sorted(
            (
                info
                for info in archive.infolist()
                if info.filename.lower().endswith(".zip")
                and info.filename.lower().startswith(_PROJECT_FOLDERS)
            ),
            key=lambda i: i.filename,
        )
        if nested
        else []
    )
    if not entries and not inner_zips:
        raise NotXmi("no .xmi files in the zip")
    if entries:
        ts_entry = _type_system_entry(archive)
        if ts_entry is None:
            raise NotXmi(f"no {TYPE_SYSTEM_FILE} in the zip (UIMA XMI needs its type system)")
        try:
            with archive.open(ts_entry) as fh:
                ts = load_typesystem(fh)
        except Exception as exc:
            raise NotXmi(
                f"{ts_entry.filename} is not a UIMA type system ({_one_line(exc)})"
            ) from None
        for info in entries:
            name = prefix + info.filename
            if info.file_size > MAX_ENTRY_BYTES:
                yield Rejected(name, f"larger than {MAX_ENTRY_BYTES >> 20} MB unpacked")
                continue
            record = _read_document(name, lambda info=info: archive.open(info), ts)  # type: ignore[misc]
            if prefix and not isinstance(record, Rejected):
                _credit(record, prefix, PurePosixPath(info.filename).stem)
            yield record
    for info in inner_zips:
        name = info.filename
        if info.file_size > MAX_ENTRY_BYTES:
            yield Rejected(name, f"larger than {MAX_ENTRY_BYTES >> 20} MB unpacked")
            continue
        try:
            inner = zipfile.ZipFile(io.BytesIO(archive.read(info)))
        except zipfile.BadZipFile as exc:
            yield Rejected(name, f"not a zip file ({_one_line(exc)})")
            continue
        with inner:
            try:
                yield from _iter_archive(inner, f"{name}/", nested=False)
            except NotXmi as exc:
                yield Rejected(name, str(exc))


def _credit(record: Record, prefix: str, user: str) -> None:
    """A document from an INCEpTION project export (``annotation/DOC/…export.zip`` holding
    ``USER.xmi``; ``curation/DOC/…`` holding ``CURATION_USER.xmi``): its title is DOC when
    the XMI names none, and spans whose layer did not record a person are that user's (or,
    for the curation, the curated layer's)."""
    parts = PurePosixPath(prefix.rstrip("/")).parts
    if len(parts) >= 3 and record["title"] == user:
        record["title"] = parts[-2]
    curated = parts[0].lower() == "curation" or user == _CURATION_USER
    for span in record["spans"]:
        if curated:
            span["layer"] = _CURATED_LAYER
        elif span["annotator"] is None and user != _INITIAL_CAS:
            span["annotator"] = user


def _beside(path: Path) -> Path | None:
    for candidate in path.parent.iterdir():
        if candidate.name.lower() == TYPE_SYSTEM_FILE.lower():
            return candidate
    return None


def _type_system_entry(archive: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    # Our zips and INCEpTION's put it at the top as TypeSystem.xml; other tools name it in
    # lower case or put it in a folder: the shallowest one wins.
    found = [
        info
        for info in archive.infolist()
        if PurePosixPath(info.filename).name.lower() == TYPE_SYSTEM_FILE.lower()
    ]
    return min(found, key=lambda i: i.filename.count("/"), default=None)


def _read_document(name: str, open_entry: Callable[[], IO[bytes]], ts: Any) -> Record | Rejected:
    from cassis import load_cas_from_xmi

    try:
        with open_entry() as fh:
            # Lenient: an INCEpTION file holds layers of its project we have no use for.
            cas = load_cas_from_xmi(io.BytesIO(fh.read()), typesystem=ts, lenient=True)
    except Exception as exc:  # lxml and cassis raise many kinds for a malformed file
        return Rejected(name, f"not readable as UIMA CAS XMI ({_one_line(exc)})")
    text = cas.sofa_string
    if not isinstance(text, str):
        return Rejected(name, "no document text in it (an XMI without a text sofa)")
    record: Record = {
        "title": PurePosixPath(name).stem,
        "source": None,
        "published": None,
        "text": text,
        "spans": [],
    }
    for meta in _select(cas, ts, DOCUMENT_META_TYPE):
        title = _feature(meta, "documentTitle")
        if title and title.strip():
            record["title"] = title
        record["source"] = _feature(meta, "documentUri")
        break
    for info in _select(cas, ts, DOCUMENT_INFO_TYPE):
        record["published"] = _date(_feature(info, "published"))
        sha = _feature(info, "sha256")
        if sha:
            record["sha256"] = sha
        break
    spans = []
    for annotation in _select(cas, ts, SPAN_TYPE):
        span: dict[str, Any] = {"start": annotation.begin, "end": annotation.end}
        for feature in SPAN_FEATURES:
            span[feature] = _feature(annotation, feature)
        if span["label"] is None:
            return Rejected(
                name, f"a {SPAN_TYPE} at {annotation.begin}-{annotation.end} has no label"
            )
        spans.append(span)
    record["spans"] = sorted(spans, key=lambda s: (s["start"], s["end"]))
    return record


def _select(cas: Any, ts: Any, type_name: str) -> list[Any]:
    if not ts.contains_type(type_name):
        return []
    return list(cas.select(type_name))


def _feature(fs: Any, name: str) -> str | None:
    # A layer set up by hand in INCEpTION may lack some of our features.
    try:
        value = fs.get(name)
    except (AttributeError, KeyError):
        return None
    return value if isinstance(value, str) else None


def _date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
