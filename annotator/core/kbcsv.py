"""The knowledge base's CSV files (resources/kb/README.md describes them): reading with checks,
writing, and the checks themselves, which the store's editing shares.

A wrong row costs more than a missing one (the suggesters would flag correct text as an error),
so a file with one bad row is refused whole, and the message names the file, the line and the
field. Empty cells mean "unknown" and become None.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

from .atomic import atomic_writer
from .kb import ATHLETE_DISCIPLINES, EVENT_KINDS, Athlete, Event, KBError

ATHLETE_COLUMNS = ("name", "aliases", "country", "discipline", "sex", "birth_year")
EVENT_COLUMNS = ("name", "aliases", "kind", "year", "city", "country", "start_date", "end_date")
ALIAS_SEPARATOR = ";"
SEXES = ("M", "F")

Kind = Literal["athletes", "events", "results", "records"]

_YEAR = re.compile(r"\d{4}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTRY = re.compile(r"[A-Z]{3}")


def fold(text: str) -> str:
    """The form two spellings share when a reader would take them for the same name: case,
    accents and spacing ignored ("Kristjan Čeh" and "kristjan  ceh")."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def _clean(text: str | None) -> str | None:
    """NFC and trimmed, so a name typed on macOS (NFD) equals the same name from the file."""
    if text is None:
        return None
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text or None


def _clean_aliases(name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    seen = {name}
    kept = []
    for alias in aliases:
        cleaned = _clean(alias)
        if cleaned is None or cleaned in seen:
            continue
        if ALIAS_SEPARATOR in cleaned:
            raise KBError(
                f"alias {cleaned!r} contains {ALIAS_SEPARATOR!r}, which separates aliases"
            )
        seen.add(cleaned)
        kept.append(cleaned)
    return tuple(kept)


def _check_name(name: str | None) -> str:
    cleaned = _clean(name)
    if cleaned is None:
        raise KBError("name is required")
    return cleaned


def _check_country(country: str | None) -> str | None:
    country = _clean(country)
    if country is not None and not _COUNTRY.fullmatch(country):
        raise KBError(f"country {country!r} is not a three-letter code such as NOR or KEN")
    return country


def _check_year(field: str, year: object) -> int | None:
    if year is None:
        return None
    if isinstance(year, int) and not isinstance(year, bool) and 1000 <= year <= 9999:
        return year
    raise KBError(f"{field} {year!r} is not a year")


def check_athlete(athlete: Athlete) -> Athlete:
    """The athlete with its text normalised; KBError (no location) when a field is invalid."""
    name = _check_name(athlete.name)
    discipline = _clean(athlete.discipline)
    if discipline is not None and discipline not in ATHLETE_DISCIPLINES:
        raise KBError(f"discipline {discipline!r} is not one of {', '.join(ATHLETE_DISCIPLINES)}")
    sex = _clean(athlete.sex)
    if sex is not None and sex not in SEXES:
        raise KBError(f"sex {sex!r} is not M, F or empty")
    return replace(
        athlete,
        name=name,
        aliases=_clean_aliases(name, athlete.aliases),
        country=_check_country(athlete.country),
        discipline=discipline,
        sex=sex,
        birth_year=_check_year("birth_year", athlete.birth_year),
    )


def check_event(event: Event) -> Event:
    """The event with its text normalised; KBError (no location) when a field is invalid."""
    name = _check_name(event.name)
    kind = _clean(event.kind)
    if kind is None:
        raise KBError("kind is required")
    if kind not in EVENT_KINDS:
        raise KBError(f"kind {kind!r} is not one of {', '.join(EVENT_KINDS)}")
    year = _check_year("year", event.year)
    if event.start is not None and event.end is not None and event.start > event.end:
        raise KBError(f"start_date {event.start} is after end_date {event.end}")
    if year is not None:
        for field, day in (("start_date", event.start), ("end_date", event.end)):
            if day is not None and day.year != year:
                raise KBError(f"{field} {day} is not in the event's year {year}")
    return replace(
        event,
        name=name,
        kind=kind,
        year=year,
        aliases=_clean_aliases(name, event.aliases),
        city=_clean(event.city),
        country=_check_country(event.country),
    )


class NameRegistry:
    """Folded names and aliases, and whom they belong to: an alias that also names someone
    else would make every mention of it ambiguous, so it is refused.

    Owners are athlete names, or event names (the editions of one meeting share aliases).
    """

    def __init__(self) -> None:
        self._owners: dict[str, tuple[str, str]] = {}

    def conflict(self, owner: str, name: str, aliases: Iterable[str]) -> str | None:
        """Why ``owner`` cannot have this name and these aliases, or None."""
        for what, text in (("name", name), *(("alias", a) for a in aliases)):
            other = self._owners.get(fold(text))
            if other is not None and other[0] != owner:
                where = f" ({other[1]})" if other[1] else ""
                return f"{what} {text!r} is already a name or alias of {other[0]!r}{where}"
        return None

    def add(self, owner: str, name: str, aliases: Iterable[str], where: str = "") -> None:
        for text in (name, *aliases):
            self._owners.setdefault(fold(text), (owner, where))


# -- reading -------------------------------------------------------------------------------


def _rows(path: Path, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row, after checking the header."""
    try:
        # utf-8-sig: spreadsheet programs like to start a CSV with a byte-order mark.
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            _check_header(path, header, columns)
            assert header is not None
            line = reader.line_num + 1
            for cells in reader:
                start, line = line, reader.line_num + 1
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != len(header):
                    raise KBError(
                        f"{path} line {start}: {len(cells)} fields where the header has "
                        f"{len(header)}"
                    )
                yield start, {key.strip(): value for key, value in zip(header, cells, strict=True)}
    except UnicodeDecodeError as exc:
        raise KBError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except csv.Error as exc:
        raise KBError(f"{path}: not a valid CSV file ({exc})") from None
    except OSError as exc:
        raise KBError(f"cannot read {path}: {exc.strerror or exc}") from None


def _check_header(path: Path, header: list[str] | None, columns: Sequence[str]) -> None:
    if not header:
        raise KBError(f"{path}: empty file, expected the header {','.join(columns)}")
    names = [h.strip() for h in header]
    missing = [c for c in columns if c not in names]
    unknown = [h for h in names if h not in columns]
    if missing or unknown or len(set(names)) != len(names):
        problems = []
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown {', '.join(unknown)}")
        if not problems:
            problems.append("a column appears twice")
        raise KBError(
            f"{path} line 1: header should be {','.join(columns)} ({'; '.join(problems)})"
        )


def _year(field: str, text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not _YEAR.fullmatch(text):
        raise KBError(f"{field} {text!r} is not a year")
    return int(text)


def _date(field: str, text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        if _ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise KBError(f"{field} {text!r} is not a date (YYYY-MM-DD)")


def _aliases(text: str) -> tuple[str, ...]:
    return tuple(text.split(ALIAS_SEPARATOR)) if text.strip() else ()


def read_athletes(path: str | os.PathLike[str]) -> list[Athlete]:
    path = Path(path)
    athletes: list[Athlete] = []
    lines: dict[str, int] = {}
    registry = NameRegistry()
    for line, row in _rows(path, ATHLETE_COLUMNS):
        try:
            athlete = check_athlete(
                Athlete(
                    name=row["name"],
                    aliases=_aliases(row["aliases"]),
                    country=row["country"],
                    discipline=row["discipline"],
                    sex=row["sex"],
                    birth_year=_year("birth_year", row["birth_year"]),
                )
            )
            if athlete.name in lines:
                raise KBError(
                    f"duplicate name {athlete.name!r} (first on line {lines[athlete.name]})"
                )
            problem = registry.conflict(athlete.name, athlete.name, athlete.aliases)
            if problem:
                raise KBError(problem)
        except KBError as exc:
            raise KBError(f"{path} line {line}: {exc}") from None
        lines[athlete.name] = line
        registry.add(athlete.name, athlete.name, athlete.aliases, f"line {line}")
        athletes.append(athlete)
    return athletes


def read_events(path: str | os.PathLike[str]) -> list[Event]:
    path = Path(path)
    events: list[Event] = []
    lines: dict[tuple[str, int | None], int] = {}
    registry = NameRegistry()
    for line, row in _rows(path, EVENT_COLUMNS):
        try:
            event = check_event(
                Event(
                    name=row["name"],
                    kind=row["kind"],
                    year=_year("year", row["year"]),
                    aliases=_aliases(row["aliases"]),
                    city=row["city"],
                    country=row["country"],
                    start=_date("start_date", row["start_date"]),
                    end=_date("end_date", row["end_date"]),
                )
            )
            ident = (event.name, event.year)
            if ident in lines:
                raise KBError(
                    f"duplicate event {event.name!r} {event.year or '(no year)'} "
                    f"(first on line {lines[ident]})"
                )
            problem = registry.conflict(event.name, event.name, event.aliases)
            if problem:
                raise KBError(problem)
        except KBError as exc:
            raise KBError(f"{path} line {line}: {exc}") from None
        lines[ident] = line
        registry.add(event.name, event.name, event.aliases, f"line {line}")
        events.append(event)
    return events


def detect_kind(path: str | os.PathLike[str]) -> Kind:
    """Which of the two files this is, by its header."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except UnicodeDecodeError as exc:
        raise KBError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except csv.Error as exc:
        raise KBError(f"{path}: not a valid CSV file ({exc})") from None
    except OSError as exc:
        raise KBError(f"cannot read {path}: {exc.strerror or exc}") from None
    names = {h.strip() for h in header or ()}
    if names == set(ATHLETE_COLUMNS):
        return "athletes"
    if names == set(EVENT_COLUMNS):
        return "events"
    from .kbcsv_results import RECORD_COLUMNS, RESULT_COLUMNS

    if names == set(RESULT_COLUMNS):
        return "results"
    if names == set(RECORD_COLUMNS):
        return "records"
    raise KBError(
        f"{path} line 1: not a knowledge-base file: the header should be "
        f"{','.join(ATHLETE_COLUMNS)} (athletes) or {','.join(EVENT_COLUMNS)} (events), or "
        "that of results.csv or records.csv (resources/kb/README.md)"
    )


# -- writing -------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _write(path: str | os.PathLike[str], columns: Sequence[str], rows: Iterable[list]) -> None:
    # "\n" line ends, as the bundled files have: a diff against them then shows real changes.
    with atomic_writer(path, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_text(v) for v in row] for row in rows)


def write_athletes(path: str | os.PathLike[str], athletes: Iterable[Athlete]) -> None:
    rows = []
    for athlete in athletes:
        a = check_athlete(athlete)
        rows.append([a.name, ALIAS_SEPARATOR.join(a.aliases), a.country, a.discipline, a.sex,
                     a.birth_year])  # fmt: skip
    _write(path, ATHLETE_COLUMNS, rows)


def write_events(path: str | os.PathLike[str], events: Iterable[Event]) -> None:
    rows = []
    for event in events:
        e = check_event(event)
        rows.append([e.name, ALIAS_SEPARATOR.join(e.aliases), e.kind, e.year, e.city, e.country,
                     e.start, e.end])  # fmt: skip
    _write(path, EVENT_COLUMNS, rows)
