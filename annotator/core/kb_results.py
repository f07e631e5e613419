"""Championship medals and world records: the knowledge base's facts about results.

Plain values, like core.kb's athletes and events, shared by the store, the CSV files in
resources/kb and the claim checks. A result names its competition and athlete by their KB
names; the store links them to the rows, so a result can never point at someone unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from .kb import KBError

#: The disciplines a result or record may name, as the CSV files write them.
DISCIPLINES = (
    "60m", "100m", "200m", "400m", "800m", "1500m", "mile", "3000m", "5000m", "10000m",
    "marathon", "60m hurdles", "100m hurdles", "110m hurdles", "400m hurdles",
    "3000m steeplechase", "high jump", "pole vault", "long jump", "triple jump", "shot put",
    "discus throw", "hammer throw", "javelin throw", "heptathlon", "decathlon", "pentathlon",
    "20km race walk", "35km race walk", "50km race walk",
)  # fmt: skip
#: Field events and combined events: the higher mark wins.
HIGHER_WINS = frozenset({
    "high jump", "pole vault", "long jump", "triple jump", "shot put", "discus throw",
    "hammer throw", "javelin throw", "heptathlon", "decathlon", "pentathlon",
})  # fmt: skip
RECORD_STATUSES = ("current", "previous")
MEDALS = {1: "gold", 2: "silver", 3: "bronze"}

# 9.79 | 3:27.65 | 2:00:35 | 6.25 | 8.95m | 6880 (points)
_MARK = re.compile(r"(?:(\d{1,2}):)?(?:(\d{1,2}):)?(\d{1,4})(?:\.(\d{1,2}))?m?")
_COUNTRY = re.compile(r"[A-Z]{3}")


def mark_value(mark: str) -> float | None:
    """Seconds for a time, metres or points otherwise; None when ``mark`` is not a mark."""
    m = _MARK.fullmatch(mark.strip())
    if m is None:
        return None
    hours, minutes, whole, frac = m.groups()
    if hours is not None and minutes is None:
        hours, minutes = None, hours
    value = int(whole) + (int(frac) / 10 ** len(frac) if frac else 0.0)
    if minutes is not None:
        if int(whole) >= 60:
            return None
        value += int(minutes) * 60 + (int(hours) * 3600 if hours else 0)
    return value


@dataclass(frozen=True, slots=True)
class MedalResult:
    competition: str  # an events.csv name
    discipline: str
    sex: str
    place: int  # 1-3
    athlete: str  # an athletes.csv name
    date: dt.date  # of the final
    source: str
    country: str | None = None
    mark: str | None = None
    id: int | None = None

    @property
    def medal(self) -> str:
        return MEDALS[self.place]

    def describe(self) -> str:
        """'World Athletics, Budapest 2023 results: Josh Kerr won gold (3:29.38)'."""
        mark = f" ({self.mark})" if self.mark else ""
        return (f"{self.source}: {self.athlete} won {self.medal} in the {self.discipline} "
                f"on {self.date.day} {self.date:%B %Y}{mark}")  # fmt: skip


@dataclass(frozen=True, slots=True)
class WorldRecord:
    discipline: str
    sex: str
    mark: str
    athlete: str  # an athletes.csv name
    date: dt.date
    city: str
    status: str  # current | previous
    source: str
    country: str | None = None
    id: int | None = None

    def describe(self) -> str:
        return (f"{self.source}: {self.athlete} set the world record of {self.mark} in "
                f"{self.city} on {self.date.day} {self.date:%B %Y} ({self.status})")  # fmt: skip


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return " ".join(text.split()) or None


def _common(discipline: str, sex: str, mark: str | None, country: str | None,
            source: str) -> tuple[str, str, str | None, str | None, str]:  # fmt: skip
    discipline = _clean(discipline) or ""
    if discipline not in DISCIPLINES:
        raise KBError(f"discipline {discipline!r} is not one of {', '.join(DISCIPLINES)}")
    sex = _clean(sex) or ""
    if sex not in ("M", "F"):
        raise KBError(f"sex {sex!r} is not M or F")
    mark = _clean(mark)
    if mark is not None and mark_value(mark) is None:
        raise KBError(f"mark {mark!r} is not a time (3:27.65), a distance (8.95) or points")
    country = _clean(country)
    if country is not None and not _COUNTRY.fullmatch(country):
        raise KBError(f"country {country!r} is not a three-letter code such as NOR or KEN")
    source = _clean(source) or ""
    if not source:
        raise KBError("source is required: name the official result the row comes from")
    return discipline, sex, mark, country, source


def check_result(result: MedalResult) -> MedalResult:
    """The result with its text normalised; KBError when a field is invalid."""
    discipline, sex, mark, country, source = _common(
        result.discipline, result.sex, result.mark, result.country, result.source
    )
    if result.place not in MEDALS:
        raise KBError(f"place {result.place!r} is not 1, 2 or 3")
    competition, athlete = _clean(result.competition), _clean(result.athlete)
    if not competition:
        raise KBError("competition is required")
    if not athlete:
        raise KBError("athlete is required")
    return replace(result, competition=competition, discipline=discipline, sex=sex, mark=mark,
                   country=country, source=source, athlete=athlete)  # fmt: skip


def check_record(record: WorldRecord) -> WorldRecord:
    discipline, sex, mark, country, source = _common(
        record.discipline, record.sex, record.mark, record.country, record.source
    )
    if mark is None:
        raise KBError("mark is required")
    athlete, city = _clean(record.athlete), _clean(record.city)
    if not athlete:
        raise KBError("athlete is required")
    if not city:
        raise KBError("city is required")
    if record.status not in RECORD_STATUSES:
        raise KBError(f"status {record.status!r} is not current or previous")
    return replace(record, discipline=discipline, sex=sex, mark=mark, country=country,
                   source=source, athlete=athlete, city=city)  # fmt: skip
