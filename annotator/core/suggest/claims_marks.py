"""Marks, margins and final dates read against the final a sentence is tied to: "ran
3:27.14", "by two tenths", "on August 3".

The middle of ClaimChecker's chain of classes (WinClaims, MarkClaims, ClaimChecker in claims.py:
one line of bases, as mypyc compiles no other multiple inheritance). ClaimChecker builds the
lookups these read and decides, from the medal, win and placing claims, which final (``tied``) a
sentence is about.
"""

from __future__ import annotations

import re

from ..kb_results import MedalResult, mark_value
from . import claim_text as T
from .claim_text import Sentence
from .claims_wins import WinClaims
from .model import Suggestion
from .scan import initial_alternatives, initial_words

# The sentence-level patterns open with a character class (see claim_text.MARK).
_OTHER_RUNS = re.compile(
    initial_alternatives(
        "since|best|fastest|record|previous|earlier|before|last year|season|career|lifetime".split(
            "|"
        ),
        tail=r"\b",
        ignorecase=True,
    )
)
_MONTH = re.compile(
    initial_words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()) + r"[a-z]*\b"
)
_WIN_WORDS = re.compile(
    initial_alternatives(
        r"won|wins?|winning|victory|triumph\w*|beat|ahead of".split("|"),
        tail=r"\b",
        ignorecase=True,
    )
)


class MarkClaims(WinClaims):
    def _marks(self, text: str, sent: Sentence, tied: dict[str, MedalResult]) -> list[Suggestion]:
        out = []
        # Only an athlete's first mark, and not in a sentence that also speaks of other runs
        # ("his fastest since 3:29.05 in Tokyo"): a second mark may be anything.
        other_runs = _OTHER_RUNS.search(text, sent.start, sent.end) is not None
        checked: set[str] = set()
        for start, end, raw, value in T.marks(text, sent.start, sent.end):
            prior = [a for a in sent.athletes if a[1] <= start]
            name = max(prior, key=lambda a: a[1])[2] if prior else ""
            row = tied.get(name) if name not in checked and not other_runs else None
            checked.add(name)
            if row is None or not row.mark or raw == row.mark:
                continue
            kb_value = mark_value(row.mark)
            podium = self._podium.get((row.competition, row.date.year, row.discipline, row.sex), [])
            others = {mark_value(r.mark) for r in podium if r.mark}
            if (kb_value is None or not T.same_shape(raw, row.mark) or value in others
                    or abs(value - kb_value) > 0.03 * kb_value):  # fmt: skip
                continue
            out.append(T.error(text, start, end, "wrong_number", row.mark, row.describe(),
                              "kb-mark"))  # fmt: skip
        winners = {r.athlete: r for r in tied.values() if r.place == 1}
        for m in T.MARGIN.finditer(text, sent.start, sent.end):
            named = {a[2] for a in sent.athletes if a[1] <= m.start()} & winners.keys()
            row = winners[named.pop()] if len(named) == 1 else None
            if (
                row is None
                or not _WIN_WORDS.search(text, sent.start, sent.end)
                or T.APPROXIMATE.search(text[max(sent.start, m.start() - 20) : m.start()])
            ):
                continue
            podium = self._podium.get((row.competition, row.date.year, row.discipline, row.sex), [])
            silver = [r for r in podium if r.place == 2 and r.mark]
            names = {a[2] for a in sent.athletes} - {row.athlete}
            if len(silver) != 1 or not names <= {silver[0].athlete} or not row.mark:
                continue
            gold_value, silver_value = mark_value(row.mark), mark_value(silver[0].mark or "")
            if gold_value is None or silver_value is None:
                continue
            actual = round(abs(silver_value - gold_value), 2)
            claimed, tolerance = T.margin_value(m)
            # Equal to the hundredth: the margin was in thousandths, which the KB lacks.
            if actual >= 0.01 and abs(claimed - actual) > tolerance + 1e-9:
                out.append(
                    T.error(
                        text,
                        m.start("margin"),
                        m.end("margin"),
                        "wrong_number",
                        T.format_margin(m, actual),
                        f"{row.describe()}; {silver[0].describe()}",
                        "kb-margin",
                    )
                )
        return out

    def _final_dates(self, text: str, sent: Sentence,
                     tied: dict[str, MedalResult]) -> list[Suggestion]:  # fmt: skip
        rows = {(r.competition, r.discipline, r.sex, r.date): r for r in tied.values()}
        # A weekday ("on Saturday") is resolved against the publication date: not evidence.
        days = [d for d in sent.dates if T.day_of(d) is not None and _MONTH.search(d.text)]
        if len(rows) != 1 or len(days) != 1:
            return []
        row = next(iter(rows.values()))
        found = T.wrong_day(text, days[0], row.date, row.describe(), "kb-final-date")
        return [found] if found is not None else []
