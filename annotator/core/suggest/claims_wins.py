"""Claims of who won: "won the 1500m", "was won by X", "retained her 60m hurdles title", and
"her first world title", checked against the knowledge base's podiums.

The base of ClaimChecker (claims.py), which builds the lookups these read. Each check ties the
athlete to one KB row before it says anything, and records the row in ``tied`` so that the
sentence's mark, margin and date are read against the same final.
"""

from __future__ import annotations

import re

from ..kb import Athlete, Event
from ..kb_results import MedalResult
from . import claim_text as T
from .claim_text import Sentence
from .claims_context import SERIES_RE
from .model import Suggestion
from .scan import initial_alternatives

# "won the 1500m", "winning the shot put", and a title claimed, kept or defended: "retained
# her 60m hurdles title" is a gold as surely as "won the 60m hurdles".
# Opening with a character class, so that `re` skips to the verbs' first letters (scan.py).
_WON_THE = re.compile(
    initial_alternatives("won|wins|winning|captured".split("|"), tail=r"\s+the\s+")
)
_TITLE_OF = re.compile(
    initial_alternatives(
        [*(rf"{verb}\s+(?:his|her|their)" for verb in ("won", "retained", "defended", "claimed",
                                                       "captured")),
         *(rf"{verb}\s+the" for verb in ("retained", "defended", "claimed"))],
        tail=r"\s+",
        ignorecase=True,
    )
)  # fmt: skip
_QUALIFIERS = re.compile(r"(?:(?:Olympic|world|indoor|women['’]s|men['’]s)\s+)*", re.IGNORECASE)
_CHAMPIONSHIP = frozenset({"championship", "championships"})  # "her first world championship title"
#: What may stand between a sentence's subject and the title its clause ends on: "Katzberg won
#: the hammer with 84.70, his first world title", "... with 70.47 for his third world title".
_APPOSITION = re.compile(r"(?:,|\bfor)\s*$")


class WinClaims:
    _athletes: dict[str, Athlete]
    _events: dict[tuple[str, int | None], Event]
    _podium: dict[tuple[str, int, str, str], list[MedalResult]]
    _by_athlete: dict[str, list[MedalResult]]
    _covered: set[tuple[str, int]]

    def _row(self, sent: Sentence, name: str, discipline: str | None = None) -> MedalResult | None:
        ev = sent.event
        if ev is None or ev.year is None:
            return None
        discipline = discipline or sent.discipline
        if discipline is None and len({d for _, _, d in sent.disciplines}) > 1:
            return None
        rows = [r for r in self._by_athlete.get(name, ())
                if r.competition == ev.name and r.date.year == ev.year
                and (discipline is None or r.discipline == discipline)]  # fmt: skip
        return rows[0] if len(rows) == 1 else None

    @staticmethod
    def _qualifier_fits(phrase: str, event: Event | None) -> bool:
        if event is None:
            return False
        return not any(k != event.kind and p.search(phrase) for k, p in SERIES_RE.items())

    def _winners(self, text: str, sent: Sentence,
                 tied: dict[str, MedalResult]) -> list[Suggestion]:  # fmt: skip
        out: list[Suggestion] = []
        ev, discipline = sent.event, sent.discipline
        # Each check's words, looked for first in the sentence: most sentences have none.
        sentence = text[sent.start : sent.end]
        low = sentence.lower()
        won_by = "won" in low and "by" in low
        for a in sent.athletes:  # "the 1500m was won by X"
            if ev is None or discipline is None or not won_by:
                break
            if not T.WON_BY.search(text[max(sent.start, a[0] - 20) : a[0]]):
                continue
            sex = self._athletes[a[2]].sex
            podium = self._podium.get((ev.name, ev.year or 0, discipline, sex or ""), [])
            gold = [r for r in podium if r.place == 1]
            if len(gold) != 1:
                continue
            if gold[0].athlete == a[2]:
                tied.setdefault(a[2], gold[0])  # the winner is right: the date may not be
            else:
                out.append(T.error(text, a[0], a[1], "wrong_fact", gold[0].athlete,
                                  gold[0].describe(), "kb-winner"))  # fmt: skip
        if "won" in sentence or "win" in sentence or "captured" in sentence:  # as _WON_THE
            out += self._won_the(text, sent, tied, _WON_THE, ("title", "final", "crown", "race",
                                                              "gold"))  # fmt: skip
        if "title" in sentence or "crown" in sentence:  # the tail _TITLE_OF needs
            out += self._won_the(text, sent, tied, _TITLE_OF, ("title", "crown"),
                                 tail_needed=True)  # fmt: skip
        return out

    def _won_the(self, text: str, sent: Sentence, tied: dict[str, MedalResult],
                 verb: re.Pattern[str], tails: tuple[str, ...], *,
                 tail_needed: bool = False) -> list[Suggestion]:  # fmt: skip
        out = []
        for m in verb.finditer(text, sent.start, sent.end):
            q = _QUALIFIERS.match(text, m.end(), sent.end)
            at = q.end() if q else m.end()
            found = T.discipline_at(text, at, sent.end)
            if found is None:
                continue
            d_start, d_end, discipline = found
            tail = re.match(r"\s+(?:" + "|".join(tails) + r")\b", text[d_end : sent.end])
            if tail_needed and tail is None:
                continue
            end = d_end + (tail.end() if tail else 0)
            subject = T.subject_before(sent.athletes, m.start(), sent.start, text, max_words=6)
            row = self._row(sent, subject[2], discipline) if subject else None
            if row is None or not self._qualifier_fits(text[m.start() : end], sent.event):
                continue
            tied[row.athlete] = row
            if row.place != 1:
                out.append(T.error(text, m.start(), end, "wrong_fact",
                                  f"took {row.medal} in the {text[d_start:end]}",
                                  row.describe(), "kb-winner"))  # fmt: skip
        return out

    def _title_subject(self, text: str, sent: Sentence, pos: int) -> T.Mention | None:
        """The athlete a title phrase at ``pos`` is about: the one right before it, or the
        sentence's subject when the phrase closes its clause in apposition ("Katzberg won the
        hammer with 84.70, his first world title") and nobody else is named before it."""
        subject = T.subject_before(sent.athletes, pos, sent.start, text, max_words=6)
        if subject is not None:
            return subject
        before = [a for a in sent.athletes if a[1] <= pos]
        if not before or not _APPOSITION.search(text, sent.start, pos):
            return None
        if len({a[2] for a in before}) == 1 and not text[sent.start : before[0][0]].strip(" \"'“‘"):
            return before[0]
        return self._clause_subject(text, sent, before, pos)

    def _clause_subject(self, text: str, sent: Sentence, before: list[T.Mention],
                        pos: int) -> T.Mention | None:  # fmt: skip
        """The winner of the clause a title phrase closes, when the sentence opens with
        something else ("Four days later Ingebrigtsen took gold in the 5000m, holding off
        Kwemoi and Fisher, his first Olympic title"): the subject of the last medal or win
        verb before the phrase, with every other athlete named after that verb, and the
        phrase's pronoun (his, her) fitting the athlete."""
        verbs = [m.start() for rx in (T.MEDAL_VERB, _WON_THE, _TITLE_OF)
                 for m in rx.finditer(text, sent.start, pos)]  # fmt: skip
        if not verbs:
            return None
        verb = max(verbs)
        subject = T.subject_before(sent.athletes, verb, sent.start, text, max_words=6)
        if subject is None or any(a[2] != subject[2] and a[0] < verb for a in before):
            return None
        sex = self._athletes[subject[2]].sex
        pronoun = text[pos : pos + 4].lower()
        if (pronoun.startswith("his ") and sex != "M") or (pronoun == "her " and sex != "F"):
            return None
        return subject

    def _firsts(self, text: str, sent: Sentence) -> list[Suggestion]:
        out = []
        for m in T.FIRSTS.finditer(text, sent.start, sent.end):
            series = T.SERIES[m["series"].lower()]
            ev = sent.event
            subject = self._title_subject(text, sent, m.start())
            if ev is None or ev.kind != series or subject is None:
                continue
            discipline = sent.named_discipline
            if m["what"] is not None and m["what"].lower() not in _CHAMPIONSHIP:
                # "her second world 400m hurdles title"; not "her first world relay title"
                named = T.discipline_at(text, m.start("what"), m.end("what"))
                if named is None or named[1] != m.end("what"):
                    continue
                discipline = named[2]
            golds = [r for r in self._by_athlete.get(subject[2], ())
                     if r.place == 1 and r.competition == ev.name and r.date.year == ev.year
                     and (discipline is None or r.discipline == discipline)]  # fmt: skip
            if len(golds) != 1:
                continue
            gold = golds[0]
            earlier = [r for r in self._by_athlete[subject[2]]
                       if r.place == 1 and r.date < gold.date
                       and self._kind(r) == series
                       and (discipline is None or r.discipline == discipline)]  # fmt: skip
            nth = T.ORDINALS.index(m["nth"].lower()) + 1
            if len(earlier) < nth:
                continue
            complete = self._complete(subject[2], series, gold.date.year)
            right = T.ORDINALS[len(earlier)] if len(earlier) < len(T.ORDINALS) else None
            correction = (m.group().replace(m["nth"], T.recase(m["nth"], right))
                          if complete and right else None)  # fmt: skip
            listed = "; ".join(r.describe() for r in sorted(earlier, key=lambda r: r.date))
            prefix = "" if complete else "at least "
            out.append(
                T.error(
                    text,
                    m.start(),
                    m.end(),
                    "wrong_fact",
                    correction,
                    f"{prefix}{len(earlier)} earlier: {listed}",
                    "kb-first",
                )
            )
        return out

    def _kind(self, r: MedalResult) -> str | None:
        ev = self._events.get((r.competition, r.date.year))
        return ev.kind if ev else None

    def _complete(self, name: str, series: str, year: int) -> bool:
        """Whether the KB holds results of every edition this athlete could have won before."""
        born = self._athletes[name].birth_year
        editions = sorted(e.year for e in self._events.values()
                          if e.kind == series and e.year and e.year <= year)  # fmt: skip
        if born is None or not editions:
            return False
        covered = [y for y in editions if any(c[1] == y for c in self._covered)]
        # Championships come at most two years apart; before the first edition the KB lists
        # the athlete was too young (under 16) to win one.
        return covered == editions and born + 16 >= editions[0] - 2 + 1
