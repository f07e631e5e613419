"""World-record claims: the mark, holder, year, city and date an article gives a world record,
against the knowledge base's current and previous records.

A record is identified by its mark ("the world record of 3:26.00"), or, for "has stood since
1985", by the discipline and sex the sentence and article leave no doubt about; a claim whose
record cannot be identified is left alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ..kb import Athlete, KnowledgeBase
from ..kb_results import WorldRecord, mark_value
from ..kbcsv import fold
from . import claim_text as T
from .claim_text import Mention, Sentence
from .claims_order import order_errors
from .model import Suggestion
from .scan import initial_alternatives

# Opening with a character class, `re` skips to candidates in C (scan.py).
_STOOD = re.compile(
    initial_alternatives(
        ["had", "has", "have"],
        group="tense",
        ignorecase=True,
        tail=r"\s+(?:stood|lasted|survived|been in place)\s+since\s+(?P<year>(?:19|20)\d\d)\b",
    )
)
_YEAR_LEAD = re.compile(r"(?:\bin|\bsince|\bfrom|\bback to|\bset in|\bback in)\s+$", re.IGNORECASE)
_HOLDER_LEAD = re.compile(r"(?:\bset|\bheld|\bowned)\s+by\s+$", re.IGNORECASE)
_CITY_AFTER = re.compile(
    initial_alternatives(["in"], tail=r"\s+(?P<city>[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)?)")
)


class RecordChecker:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._rows: tuple[WorldRecord, ...] = kb.records
        # Each record by the value of its mark: every mark of a record sentence is looked up.
        self._by_value: dict[float | None, list[WorldRecord]] = {}
        for r in kb.records:
            self._by_value.setdefault(mark_value(r.mark), []).append(r)
        self._athletes: dict[str, Athlete] = {a.name: a for a in kb.athletes}
        self._cities = {fold(r.city) for r in kb.records}
        self._cities |= {fold(e.city) for e in kb.events if e.city}
        self.holders = frozenset(r.athlete for r in kb.records)
        self.active = bool(kb.records)

    def sexes(self, athletes: Sequence[Mention]) -> set[str]:
        """The sexes of the athletes a document names (a record sentence naming none is read
        as about them when there is one)."""
        return {s for _, _, n in athletes if (s := self._athletes[n].sex) is not None}

    def check(self, text: str, sent: Sentence, doc_sexes: set[str],
                       doc_disciplines: set[str],
                       published: dt.date | None) -> list[Suggestion]:  # fmt: skip
        if not T.WORLD_RECORD.search(text, sent.start, sent.end):
            return self._holders_marks(text, sent)
        sexes = {self._athletes[n].sex for _, _, n in sent.athletes} - {None}
        if not sexes:
            sexes = set(doc_sexes)
        discipline = sent.named_discipline
        if (
            discipline is None
            and len(doc_disciplines) == 1
            and (sent.carried or not sent.disciplines)
        ):
            discipline = next(iter(doc_disciplines))
        out: list[Suggestion] = []
        identified: list[tuple[int, int, WorldRecord | None]] = []
        found = T.marks(text, sent.start, sent.end)
        for i, (start, end, _raw, value) in enumerate(found):
            rows = [r for r in self._by_value.get(value, ())
                    if (discipline is None or r.discipline == discipline)
                    and (len(sexes) != 1 or r.sex in sexes)]  # fmt: skip
            identified.append((start, end, rows[0] if len(rows) == 1 else None))
            if len(rows) == 1:
                # What follows a mark, up to the next one, is about that mark.
                limit = found[i + 1][0] if i + 1 < len(found) else sent.end
                out += self._record_details(text, sent, rows[0], start, end, limit)
        out += order_errors(text, identified, "kb-record-order")
        only = next(iter(sexes)) if len(sexes) == 1 else None
        if discipline is not None and only is not None:
            out += self._occasion_marks(text, sent, discipline, only)
        for m in _STOOD.finditer(text, sent.start, sent.end):
            if discipline is None or len(sexes) != 1:
                continue
            sex = next(iter(sexes))
            by_status = {r.status: r for r in self._rows if r.discipline == discipline
                         and r.sex == sex}  # fmt: skip
            current = by_status.get("current")
            if current is None:
                continue
            if m["tense"].lower() in ("has", "have"):
                row = current if published is None or published >= current.date else None
            else:
                breaker = any(a[2] == current.athlete for a in sent.athletes)
                row = by_status.get("previous") if breaker else None
            if row is not None and int(m["year"]) != row.date.year:
                out.append(
                    T.error(
                        text,
                        m.start("year"),
                        m.end("year"),
                        "wrong_date",
                        str(row.date.year),
                        row.describe(),
                        "kb-record-year",
                    )
                )
        return out

    def _holders_marks(self, text: str, sent: Sentence) -> list[Suggestion]:
        """'Marita Koch's 47.60 in the women's 400m was set in Canberra in 1986': a sentence
        naming a record's holder, its discipline and its exact mark is about that record
        without the words "world record", and the year, city and date it gives are read."""
        discipline = sent.named_discipline
        named = {a[2] for a in sent.athletes} & self.holders
        if discipline is None or not named:
            return []
        out: list[Suggestion] = []
        found = T.marks(text, sent.start, sent.end)
        for i, (start, end, raw, value) in enumerate(found):
            rows = [r for r in self._by_value.get(value, ()) if r.discipline == discipline
                    and r.athlete in named and T.same_shape(raw, r.mark)]  # fmt: skip
            if len(rows) == 1:
                limit = found[i + 1][0] if i + 1 < len(found) else sent.end
                out += self._record_details(text, sent, rows[0], start, end, limit)
        return out

    def _occasion_marks(self, text: str, sent: Sentence, discipline: str,
                        sex: str) -> list[Suggestion]:  # fmt: skip
        """'Kipyegon lowered the world record to 3:48.86 at the Prefontaine Classic', or 'in
        Eugene last July': the holder and the meeting, or the city and a date taking in the
        day, name one record; a mark close to it but not it is a slip."""
        holders = {a[2] for a in sent.athletes}
        rows = [
            r
            for r in self._rows
            if r.discipline == discipline
            and r.sex == sex
            and r.athlete in holders
            and (
                any(
                    e.start
                    and e.start <= r.date <= (e.end or e.start)
                    and fold(e.city or "") == fold(r.city)
                    for e in sent.occasions
                )
                or self._city_and_day(text, sent, r)
            )
        ]
        if len(rows) != 1:
            return []
        row, out = rows[0], []
        right = mark_value(row.mark) or 0.0
        for start, end, raw, value in T.marks(text, sent.start, sent.end):
            if (
                value in self._by_value
                or not T.same_shape(raw, row.mark)
                or abs(value - right) > 0.01 * right
            ):
                continue
            out.append(
                T.error(
                    text, start, end, "wrong_number", row.mark, row.describe(), "kb-record-mark"
                )
            )
        return out

    def _city_and_day(self, text: str, sent: Sentence, row: WorldRecord) -> bool:
        city = fold(row.city)
        return any(fold(c["city"]) == city for c in _CITY_AFTER.finditer(
            text, sent.start, sent.end)) and any(
            d.value and T.covers(d.value, row.date) for d in sent.dates)  # fmt: skip

    def _record_details(self, text: str, sent: Sentence, row: WorldRecord,
                        mark_start: int, mark_end: int,
                        limit: int) -> list[Suggestion]:  # fmt: skip
        out = []
        note = row.describe()
        for a in sent.athletes:
            lead = text[max(sent.start, a[0] - 12) : a[0]]
            # "El Guerrouj's 3:26.00", "El Guerrouj's world record of 3:26.00"
            owner = (
                text[a[1] : a[1] + 2] in ("'s", "’s")
                and a[1] < mark_start
                and T.tight_gap(text[a[1] + 2 : mark_start].replace(" of", ""), max_words=3)
            )
            if (_HOLDER_LEAD.search(lead) or owner) and a[2] != row.athlete:
                out.append(T.error(text, a[0], a[1], "wrong_fact", row.athlete, note,
                                  "kb-record-holder"))  # fmt: skip
        years = [
            y
            for y in T.YEAR.finditer(text, mark_end, limit)
            if _YEAR_LEAD.search(text[max(mark_end, y.start() - 12) : y.start()])
        ]
        if len(years) == 1 and int(years[0].group()) != row.date.year:
            y = years[0]
            out.append(T.error(text, y.start(), y.end(), "wrong_date", str(row.date.year), note,
                              "kb-record-year"))  # fmt: skip
        cities = [
            c
            for c in _CITY_AFTER.finditer(text, mark_end, limit)
            if fold(c["city"]) in self._cities
        ]
        if len(cities) == 1 and fold(cities[0]["city"]) != fold(row.city):
            c = cities[0]
            out.append(T.error(text, c.start("city"), c.end("city"), "wrong_fact", row.city, note,
                              "kb-record-city"))  # fmt: skip
        days = [d for d in sent.dates if mark_end <= d.start < limit and T.day_of(d) is not None]
        if len(days) == 1:
            found = T.wrong_day(text, days[0], row.date, note, "kb-record-date")
            if found is not None:
                out.append(found)
        return out
