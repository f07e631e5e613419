"""results.csv and records.csv (resources/kb/README.md describes them): reading with checks,
and writing. As with core.kbcsv, one bad row refuses the whole file, and the message names the
file, the line and the field; an athlete or competition the knowledge base does not hold is
such a row.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

from .kb import KBError
from .kb_results import MedalResult, WorldRecord, check_record, check_result
from .kbcsv import _date, _rows, _write

RESULT_COLUMNS = ("competition", "discipline", "sex", "place", "athlete", "country", "mark",
                  "date", "source")  # fmt: skip
RECORD_COLUMNS = ("discipline", "sex", "mark", "athlete", "country", "date", "city", "status",
                  "source")  # fmt: skip

#: (competition name, year) -> known?; the reader asks it for each row's competition.
CompetitionCheck = Callable[[str, int], bool]


def _required_date(text: str) -> object:
    day = _date("date", text)
    if day is None:
        raise KBError("date is required (YYYY-MM-DD)")
    return day


def _place(text: str) -> int:
    text = text.strip()
    if text not in ("1", "2", "3"):
        raise KBError(f"place {text!r} is not 1, 2 or 3")
    return int(text)


def _check_athlete(name: str, athletes: Collection[str] | None) -> None:
    if athletes is not None and name not in athletes:
        raise KBError(f"athlete {name!r} is not in the knowledge base (add them to athletes.csv)")


def read_results(
    path: str | os.PathLike[str],
    *,
    athletes: Collection[str] | None = None,
    competition_known: CompetitionCheck | None = None,
) -> list[MedalResult]:
    """The file's medals; with ``athletes`` and ``competition_known``, a row naming someone or
    something the knowledge base does not hold is refused."""
    path = Path(path)
    out: list[MedalResult] = []
    lines: dict[tuple[str, int, str, str, str], int] = {}
    for line, row in _rows(path, RESULT_COLUMNS):
        try:
            result = check_result(MedalResult(
                competition=row["competition"], discipline=row["discipline"], sex=row["sex"],
                place=_place(row["place"]), athlete=row["athlete"], country=row["country"],
                mark=row["mark"], date=_required_date(row["date"]),  # type: ignore[arg-type]
                source=row["source"],
            ))  # fmt: skip
            _check_athlete(result.athlete, athletes)
            year = result.date.year
            if competition_known is not None and not competition_known(result.competition, year):
                raise KBError(
                    f"competition {result.competition!r} {year} is not in the knowledge base "
                    "(the name as events.csv writes it, the year of the final's date)"
                )
            ident = (result.competition, year, result.discipline, result.sex, result.athlete)
            if ident in lines:
                raise KBError(f"{result.athlete} appears twice in this final "
                              f"(first on line {lines[ident]})")  # fmt: skip
        except KBError as exc:
            raise KBError(f"{path} line {line}: {exc}") from None
        lines[ident] = line
        out.append(result)
    return out


def read_records(
    path: str | os.PathLike[str], *, athletes: Collection[str] | None = None
) -> list[WorldRecord]:
    path = Path(path)
    out: list[WorldRecord] = []
    lines: dict[tuple[str, str, str], int] = {}
    for line, row in _rows(path, RECORD_COLUMNS):
        try:
            record = check_record(WorldRecord(
                discipline=row["discipline"], sex=row["sex"], mark=row["mark"],
                athlete=row["athlete"], country=row["country"],
                date=_required_date(row["date"]),  # type: ignore[arg-type]
                city=row["city"], status=row["status"].strip(), source=row["source"],
            ))  # fmt: skip
            _check_athlete(record.athlete, athletes)
            ident = (record.discipline, record.sex, record.mark)
            if ident in lines:
                raise KBError(f"the record {record.mark} appears twice "
                              f"(first on line {lines[ident]})")  # fmt: skip
        except KBError as exc:
            raise KBError(f"{path} line {line}: {exc}") from None
        lines[ident] = line
        out.append(record)
    return out


def write_results(path: str | os.PathLike[str], results: Iterable[MedalResult]) -> None:
    rows = []
    for result in results:
        r = check_result(result)
        rows.append([r.competition, r.discipline, r.sex, r.place, r.athlete, r.country, r.mark,
                     r.date, r.source])  # fmt: skip
    _write(path, RESULT_COLUMNS, rows)


def write_records(path: str | os.PathLike[str], records: Iterable[WorldRecord]) -> None:
    rows = []
    for record in records:
        r = check_record(record)
        rows.append([r.discipline, r.sex, r.mark, r.athlete, r.country, r.date, r.city,
                     r.status, r.source])  # fmt: skip
    _write(path, RECORD_COLUMNS, rows)
