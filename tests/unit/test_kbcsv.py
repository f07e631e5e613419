"""The knowledge-base CSV files: round trips, and refusing bad rows with file, line and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from annotator.core.kb import Athlete, Event, KBError
from annotator.core.kbcsv import (
    check_athlete,
    check_event,
    detect_kind,
    fold,
    read_athletes,
    read_events,
    write_athletes,
    write_events,
)
from annotator.core.resources import resource

ATHLETES_HEADER = "name,aliases,country,discipline,sex,birth_year\n"
EVENTS_HEADER = "name,aliases,kind,year,city,country,start_date,end_date\n"

ATHLETES = [
    Athlete(name="Armand Duplantis", aliases=("Mondo Duplantis", "Mondo"), country="SWE",
            discipline="jumps", sex="M", birth_year=1999),
    Athlete(name="Kristjan Čeh", aliases=("Kristjan Ceh",), country="SLO", discipline="throws",
            sex="M", birth_year=1999),
    Athlete(name='Femke "Bol", Jr.', country="NED", discipline="hurdles", sex="F"),
    Athlete(name="Nobody Known"),
]  # fmt: skip
EVENTS = [
    Event(name="Bislett Games", kind="diamond_league", year=2024, aliases=("Oslo Diamond League",),
          city="Oslo", country="NOR", start=dt.date(2024, 5, 30), end=dt.date(2024, 5, 30)),
    Event(name="Bislett Games", kind="diamond_league", year=2025, aliases=("Oslo Diamond League",),
          city="Oslo", country="NOR", start=dt.date(2025, 6, 12), end=dt.date(2025, 6, 12)),
    Event(name="Paavo Nurmi Games", kind="named_race", year=2023, city="Turku", country="FIN"),
    Event(name="Olympic Games Paris 2024", kind="olympics", year=2024,
          aliases=("Paris 2024", "Paris Olympics"), city="Paris", country="FRA",
          start=dt.date(2024, 8, 1), end=dt.date(2024, 8, 11)),
]  # fmt: skip


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_athletes_round_trip(tmp_path):
    path = tmp_path / "athletes.csv"
    write_athletes(path, ATHLETES)
    assert read_athletes(path) == ATHLETES
    assert path.read_bytes().startswith(ATHLETES_HEADER.encode())
    assert b"\r" not in path.read_bytes()


def test_events_round_trip(tmp_path):
    path = tmp_path / "events.csv"
    write_events(path, EVENTS)
    assert read_events(path) == EVENTS


def test_empty_cells_are_none_and_text_is_normalised(tmp_path):
    decomposed = "Kristjan C\u030ceh"  # as macOS spells it
    path = _write(tmp_path, "a.csv", ATHLETES_HEADER + f" {decomposed} , ;Kris Ceh;; ,,,,\n\n")
    [athlete] = read_athletes(path)
    assert athlete == Athlete(name="Kristjan Čeh", aliases=("Kris Ceh",))


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (ATHLETES_HEADER + "Josh Kerr,,GBR,,M,1997\n").encode())
    assert detect_kind(path) == "athletes"
    assert read_athletes(path)[0].country == "GBR"


def test_detect_kind_by_header(tmp_path):
    assert detect_kind(_write(tmp_path, "x.csv", ATHLETES_HEADER)) == "athletes"
    assert detect_kind(_write(tmp_path, "y.csv", EVENTS_HEADER)) == "events"
    with pytest.raises(KBError, match=r"spans\.csv line 1: not a knowledge-base file"):
        detect_kind(_write(tmp_path, "spans.csv", "document_id,start,end\n"))
    with pytest.raises(KBError, match=r"cannot read .*missing\.csv"):
        detect_kind(tmp_path / "missing.csv")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("Josh Kerr,,GBR,middle_distance,M,1997\nA B,,KEN,,F,x\n",
         "athletes.csv line 3: birth_year 'x' is not a year"),
        ("Josh Kerr,,GBR,middle_distance,M,97\n", "line 2: birth_year '97' is not a year"),
        (",Kerr,GBR,,M,\n", "line 2: name is required"),
        ("Josh Kerr,,GBR,mile,M,\n", "line 2: discipline 'mile' is not one of sprints"),
        ("Josh Kerr,,GBR,,male,\n", "line 2: sex 'male' is not M, F or empty"),
        ("Josh Kerr,,Scotland,,M,\n", "line 2: country 'Scotland' is not a three-letter code"),
        ("Josh Kerr,,GBR,,M,\nHamish Kerr,,NZL,,M,\nJosh Kerr,,GBR,,M,\n",
         "line 4: duplicate name 'Josh Kerr' (first on line 2)"),
        ("Josh Kerr,,GBR,,M,\nJ Kerr,josh kerr,GBR,,M,\n",
         "line 3: alias 'josh kerr' is already a name or alias of 'Josh Kerr' (line 2)"),
        ("Kristjan Čeh,Kris,SLO,,M,\nKris Smith,KRÍS,USA,,M,\n",
         "line 3: alias 'KRÍS' is already a name or alias of 'Kristjan Čeh' (line 2)"),
        ("Josh Kerr,,GBR,,M\n", "line 2: 5 fields where the header has 6"),
    ],
)  # fmt: skip
def test_bad_athlete_rows_name_file_line_and_field(tmp_path, rows, message):
    path = _write(tmp_path, "athletes.csv", ATHLETES_HEADER + rows)
    with pytest.raises(KBError) as info:
        read_athletes(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_a_quoted_field_with_a_line_break_keeps_later_line_numbers_right(tmp_path):
    rows = 'Josh Kerr,,GBR,,M,\n"Two\nLines",,GBR,,M,\nHamish Kerr,,NZL,,M,oops\n'
    path = _write(tmp_path, "athletes.csv", ATHLETES_HEADER + rows)
    with pytest.raises(KBError, match="line 5: birth_year 'oops'"):
        read_athletes(path)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("Bislett Games,,diamond_league,2024,Oslo,NOR,2024-05-30,2024-05-29\n",
         "line 2: start_date 2024-05-30 is after end_date 2024-05-29"),
        ("Bislett Games,,diamond_league,2024,Oslo,NOR,30/05/2024,\n",
         "line 2: start_date '30/05/2024' is not a date (YYYY-MM-DD)"),
        ("Bislett Games,,diamond_league,2024,Oslo,NOR,2024-02-30,2024-02-30\n",
         "start_date '2024-02-30' is not a date"),
        ("Bislett Games,,diamond_league,24,Oslo,NOR,,\n", "line 2: year '24' is not a year"),
        ("Bislett Games,,diamond_league,2024,Oslo,NOR,2023-05-30,2023-05-30\n",
         "start_date 2023-05-30 is not in the event's year 2024"),
        ("Bislett Games,,meeting,2024,Oslo,NOR,,\n", "line 2: kind 'meeting' is not one of"),
        ("Bislett Games,,,2024,Oslo,NOR,,\n", "line 2: kind is required"),
        ("Bislett Games,,diamond_league,2024,,,,\nBislett Games,,diamond_league,2024,,,,\n",
         "line 3: duplicate event 'Bislett Games' 2024 (first on line 2)"),
        ("Bislett Games,Oslo DL,diamond_league,2024,,,,\nOslo Games,oslo dl,named_race,2024,,,,\n",
         "line 3: alias 'oslo dl' is already a name or alias of 'Bislett Games' (line 2)"),
    ],
)  # fmt: skip
def test_bad_event_rows_name_file_line_and_field(tmp_path, rows, message):
    path = _write(tmp_path, "events.csv", EVENTS_HEADER + rows)
    with pytest.raises(KBError) as info:
        read_events(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_editions_of_one_meeting_share_aliases(tmp_path):
    rows = (
        "Bislett Games,Oslo DL,diamond_league,2024,,,,\n"
        "Bislett Games,Oslo DL,diamond_league,2025,,,,\n"
    )
    events = read_events(_write(tmp_path, "events.csv", EVENTS_HEADER + rows))
    assert [e.aliases for e in events] == [("Oslo DL",), ("Oslo DL",)]


def test_bad_headers_and_files(tmp_path):
    with pytest.raises(KBError, match=r"line 1: header should be .*missing birth_year"):
        read_athletes(_write(tmp_path, "a.csv", "name,aliases,country,discipline,sex\n"))
    with pytest.raises(KBError, match=r"unknown born"):
        read_athletes(_write(tmp_path, "b.csv", ATHLETES_HEADER.strip() + ",born\n"))
    with pytest.raises(KBError, match="empty file"):
        read_events(_write(tmp_path, "c.csv", ""))
    latin1 = tmp_path / "d.csv"
    latin1.write_bytes((ATHLETES_HEADER + "Kristjan Čeh,,SLO,,M,\n").encode("cp1250"))
    with pytest.raises(KBError, match=r"d\.csv: not UTF-8"):
        read_athletes(latin1)
    with pytest.raises(KBError, match=r"cannot read .*nowhere\.csv"):
        read_events(tmp_path / "nowhere.csv")


def test_check_refuses_a_separator_inside_an_alias(tmp_path):
    with pytest.raises(KBError, match="contains ';'"):
        check_athlete(Athlete(name="Josh Kerr", aliases=("Kerr;Josh",)))
    # And writing refuses it too, rather than producing a file that reads back differently.
    with pytest.raises(KBError):
        write_events(tmp_path / "events.csv", [Event(name="X", kind="olympics", aliases=("a;b",))])


def test_check_normalises_and_drops_repeated_aliases():
    event = check_event(
        Event(name=" Paris  2024 ", kind="olympics", aliases=("P", "P", "Paris 2024"))
    )
    assert (event.name, event.aliases) == ("Paris 2024", ("P",))


def test_fold_ignores_case_accents_and_spacing():
    assert fold("Kristjan  Čeh") == fold("KRISTJAN CEH") == "kristjan ceh"


def test_writing_is_atomic(tmp_path):
    path = tmp_path / "athletes.csv"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(KBError):
        write_athletes(path, [ATHLETES[0], Athlete(name="")])
    assert path.read_text(encoding="utf-8") == "old"


def test_the_bundled_files_load():
    athletes_csv, events_csv = resource("kb", "athletes.csv"), resource("kb", "events.csv")
    athletes, events = read_athletes(athletes_csv), read_events(events_csv)
    assert athletes and events
    assert detect_kind(athletes_csv) == "athletes" and detect_kind(events_csv) == "events"
