"""The knowledge base's value types: athletes and events the suggesters match against.

Plain data, shared by the store (which keeps them in tables), the CSV files in resources/kb and
the suggestion engine. ``key`` is what a span's ``entity`` field holds: readable, and stable
across databases (database ids are not).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .kb_results import MedalResult, WorldRecord

ATHLETE_DISCIPLINES = (
    "sprints",
    "hurdles",
    "middle_distance",
    "long_distance",
    "marathon",
    "steeplechase",
    "jumps",
    "throws",
    "combined",
    "race_walk",
)
EVENT_KINDS = (
    "olympics",
    "world_championships",
    "world_indoors",
    "continental_championships",
    "commonwealth_games",
    "diamond_league",
    "diamond_league_final",
    "named_race",
    "marathon_major",
)


@dataclass(frozen=True, slots=True)
class Athlete:
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    discipline: str | None = None
    sex: str | None = None
    birth_year: int | None = None
    id: int | None = None

    @property
    def key(self) -> str:
        return f"athlete:{self.name}"

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    kind: str
    year: int | None = None
    aliases: tuple[str, ...] = ()
    city: str | None = None
    country: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    id: int | None = None

    @property
    def key(self) -> str:
        return f"event:{self.name} {self.year}" if self.year else f"event:{self.name}"


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    athletes: tuple[Athlete, ...] = ()
    events: tuple[Event, ...] = ()
    results: tuple[MedalResult, ...] = ()  # championship medals (core.kb_results)
    records: tuple[WorldRecord, ...] = ()  # world records, current and previous
    _by_key: dict[str, Athlete | Event] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({a.key: a for a in self.athletes})
        self._by_key.update({e.key: e for e in self.events})

    def get(self, key: str) -> Athlete | Event | None:
        return self._by_key.get(key)


class KBError(ValueError):
    """A knowledge-base file or entry that cannot be used; the message names where and why."""
