"""Claim checks: medals, wins, marks, margins, final dates, "first title" claims and world
records that an article states and the knowledge base's results contradict.

A claim is checked only when it is tied to one KB row without guessing: the athlete is the
subject of the phrase (nothing but a few plain words between them), the championship is named
in the sentence or is the only one the article names, and the discipline is named in the
sentence or is the only one the athlete has a medal in at that championship. Anything less
certain is left alone: a suggestion the user must reject costs more than one missed.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from ..kb import Athlete, Event, KnowledgeBase
from ..kb_results import MedalResult, mark_value
from ..kbcsv import fold
from . import claim_text as T
from .claim_text import Sentence
from .claims_context import LOOSE, ArticleContext
from .claims_marks import MarkClaims
from .claims_order import medal_order
from .claims_records import RecordChecker
from .event_editions import year_matches
from .model import Suggestion
from .scan import initial_alternatives, initial_words
from .sentence_groups import by_sentence as _by_sentence
from .sentence_groups import disciplines_by_sentence as _disciplines_by_sentence

CHAMPIONSHIPS = ("olympics", "world_championships", "world_indoors")
#: Every claim read here has one of these words: a medal, a win, a final, a title ordinal or
#: a record (marks, margins and dates are read only next to a medal, win or final).
_TRIGGER = re.compile(initial_words(T.TRIGGER_WORDS, ignorecase=True) + r"\b")
# The sentence-level patterns open with a character class (see claim_text.MARK).
_RELAY = re.compile(r"[Rr\d](?:(?<=[Rr])(?<!\w.)(?i:elays?)\b|(?<=\d)(?i:\s?[x×]\s?\d))")
_SEX_WORDS = re.compile(
    initial_alternatives(["women", "men"], tail=r"['’]s\b", ignorecase=True, group="")
)
_FINAL = re.compile(initial_alternatives(["final"], tail=r"\b", ignorecase=True))


def _occasions(mentions: Iterable[object], published: dt.date | None) -> list[tuple[int, Event]]:
    """Dated events whose edition is certain: pinned by the text, or a meeting held in the
    two months before the article appeared ("at the Prefontaine Classic" in a July report)."""
    out = []
    for m in mentions:
        ev: Event | None = m.event  # type: ignore[attr-defined]
        if ev is None or ev.start is None:
            continue
        recent = published is not None and 0 <= (published - ev.start).days <= 60
        if m.fixed_by is not None or recent:  # type: ignore[attr-defined]
            out.append((m.start, ev))  # type: ignore[attr-defined]
    return out


class ClaimChecker(MarkClaims):
    def __init__(self, kb: KnowledgeBase) -> None:
        self._athletes: dict[str, Athlete] = {a.name: a for a in kb.athletes}
        self._events: dict[tuple[str, int | None], Event] = {(e.name, e.year): e for e in kb.events}
        self._podium: dict[tuple[str, int, str, str], list[MedalResult]] = defaultdict(list)
        self._by_athlete: dict[str, list[MedalResult]] = defaultdict(list)
        for r in kb.results:
            self._podium[r.competition, r.date.year, r.discipline, r.sex].append(r)
            self._by_athlete[r.athlete].append(r)
        self._covered = {(r.competition, r.date.year) for r in kb.results}
        self._marks_of: dict[str, list[tuple[float, MedalResult]]] = defaultdict(list)
        for r in kb.results:
            if r.mark and (v := mark_value(r.mark)) is not None:
                self._marks_of[r.athlete].append((v, r))
        self._records = RecordChecker(kb)
        self.context = ArticleContext(kb)
        self.active = bool(kb.results or kb.records)

    # -- the document ------------------------------------------------------------------------

    def check(
        self,
        ctx: object,
        spans: Iterable[Suggestion],
        mentions: Iterable[object],
        *,
        published: dt.date | None = None,
        openings: Mapping[str, Sequence[int]] | None = None,
    ) -> list[Suggestion]:
        """Errors for the claims in one document. ``ctx`` is the engine's TextContext (text
        and sentences), ``spans`` its athlete and date suggestions, ``mentions`` its event
        mentions (EventMention); ``openings``: where T.TRIGGER_WORDS ("trigger") and
        T.DISCIPLINE_OPENINGS ("discipline") start in the text (suggest/openings.py), when
        known."""
        if not self.active:
            return []
        text: str = ctx.text  # type: ignore[attr-defined]
        spans = list(spans)
        athletes = sorted(
            (s.start, s.end, s.entity.removeprefix("athlete:")) for s in spans
            if s.label == "athlete" and s.entity and s.entity.removeprefix("athlete:")
            in self._athletes
        )  # fmt: skip
        dates = [s for s in spans if s.label == "date" and s.value]
        mentions = list(mentions)
        champs = [(m.start, m.end, m.event) for m in mentions  # type: ignore[attr-defined]
                  if m.event is not None and m.fixed_by is not None  # type: ignore[attr-defined]
                  and m.event.kind in CHAMPIONSHIPS]  # type: ignore[attr-defined]  # fmt: skip
        # The article's own championship: the first one it names. Sentences naming none are
        # read against it only when nothing in them points elsewhere (claims_context).
        context_event = min(champs, key=lambda c: c[0])[2] if champs else None
        bounds: list[tuple[int, int]] = ctx.sentences  # type: ignore[attr-defined]
        # Most sentences make no claim the checks read: one scan finds those that might, and
        # only those are grouped and read.
        starts = [ss for ss, _ in bounds]
        words = openings
        triggers = words["trigger"] if words is not None else None
        if triggers is None:
            claiming = {bisect_right(starts, m.start()) - 1 for m in _TRIGGER.finditer(text)}
        else:  # a word is confirmed only in a sentence not yet known to claim
            claiming = set()
            for p in triggers:
                k = bisect_right(starts, p) - 1
                if k not in claiming and _TRIGGER.match(text, p):
                    claiming.add(k)
        # A record's holder named with its mark is read without a trigger word (RecordChecker).
        records = self._records.active
        holders = self._records.holders
        held = {bisect_right(starts, a[0]) - 1 for a in athletes if a[2] in holders}
        out: list[Suggestion] = []
        order_starts = words["order"] if words is not None else None
        city_starts = words.get("city") if words is not None else None
        if not claiming and not (records and held):
            return medal_order(text, bounds, athletes, self._marks_of, order_starts)
        # Bucketed once: filtering every list per sentence is quadratic on a long text.
        champs_in = _by_sentence(bounds, champs, lambda c: c[0], starts)
        athletes_in = _by_sentence(bounds, athletes, lambda a: a[0], starts)
        # Which checks each claiming sentence gets. Most get none: they name no championship
        # the KB has results for and no world record, and are not read further.
        covered = self._covered
        plan: list[tuple[int, Event | None, bool, bool, bool]] = []
        for k in sorted(claiming | held if records else claiming):
            ss, se = bounds[k]
            if k not in claiming:
                # A holder's sentence is read only for a mark in it (most have none).
                if T.MARK.search(text, ss, se) is not None:
                    plan.append((k, None, bool(champs_in[k]), False, True))
                continue
            here = {(e.name, e.year): e for _, _, e in champs_in[k]}
            # A results claim is about an athlete named here or about "the final": without
            # either there is nothing to read against a championship, only world records.
            results = bool(athletes_in[k]) or _FINAL.search(text, ss, se) is not None
            event = None
            if results and len(here) == 1:
                event = next(iter(here.values()))
            elif (
                results
                and not here
                and context_event is not None
                and (context_event.name, context_event.year) in covered
                and self.context.plain(text, ss, se, context_event, city_starts)
            ):
                event = context_event
            read = event is not None and (event.name, event.year) in covered
            # Several championships named: each medal phrase is read against the one named
            # right after it (_medals_by_mention), the sentence's event left None.
            read = read or (results and len(here) > 1 and not here.keys().isdisjoint(covered))
            record = records and (k in held or T.WORLD_RECORD.search(text, ss, se) is not None)
            if read or record:
                plan.append((k, event, bool(here), read, record))
        if not plan:
            return medal_order(text, bounds, athletes, self._marks_of, order_starts)
        found = T.disciplines(
            text, 0, len(text), words["discipline"] if words is not None else None
        )
        doc_disciplines = {d for _, _, d in found}
        doc_sexes = self._records.sexes(athletes)
        # The sentence before each one read too: its discipline may be the claim's.
        read_ks = {k for k, *_ in plan}
        disciplines_in = _disciplines_by_sentence(
            text, bounds, found, only=read_ks | {k - 1 for k in read_ks}
        )
        dates_in = _by_sentence(bounds, dates, lambda d: d.start, starts)
        occasions_in = _by_sentence(bounds, _occasions(mentions, published), lambda o: o[0], starts)
        for k, event, named, read, record in plan:
            ss, se = bounds[k]
            disciplines, carried = self._disciplines(text, bounds, disciplines_in, k)
            sent = Sentence(
                ss,
                se,
                athletes_in[k],
                event,
                disciplines,
                dates_in[k],
                carried=carried,
                from_context=not named,
                occasions=tuple(e for _, e in occasions_in[k]),
            )
            if read:
                out += self._results_claims(text, sent, champs)
            if record:
                out += self._records.check(text, sent, doc_sexes, doc_disciplines, published)
        taken = {(s.start, s.end) for s in out}  # a world record's order is read already
        out += [s for s in medal_order(text, bounds, athletes, self._marks_of, order_starts)
                if (s.start, s.end) not in taken]  # fmt: skip
        return out

    @staticmethod
    def _disciplines(text: str, bounds: Sequence[tuple[int, int]],
                     disciplines_in: Sequence[list[tuple[int, int, str]]],
                     k: int) -> tuple[list[tuple[int, int, str]], bool]:  # fmt: skip
        """The disciplines sentence ``k`` is about: its own, or the one the sentence before
        it in the same paragraph names ("The women's pole vault ended in a tie. ... Murto
        took bronze"), unless it speaks of a relay."""
        own = disciplines_in[k]
        if own or k == 0:
            return own, False
        ss, se = bounds[k]
        before = disciplines_in[k - 1]
        if (len({d for _, _, d in before}) != 1 or "\n\n" in text[bounds[k - 1][1] : ss]
                or _RELAY.search(text, ss, se)):  # fmt: skip
            return own, False
        return before, True

    # -- championship results -----------------------------------------------------------------

    def _results_claims(self, text: str, sent: Sentence, champs: Sequence) -> list[Suggestion]:
        out: list[Suggestion] = []
        tied: dict[str, MedalResult] = {}  # athletes whose sentence is about their final
        # A medal with no discipline named may be one the KB does not list (a relay, a final
        # not covered yet): only a sentence that names the discipline is read.
        if sent.discipline is None or _RELAY.search(text, sent.start, sent.end):
            return self._firsts(text, sent)
        # Each check's words, looked for first: most sentences hold few of them. Where
        # lower-casing differs from what IGNORECASE matches (ſ, ı, K, İ), every check runs.
        low = text[sent.start : sent.end].lower()
        loose = any(map(low.__contains__, LOOSE))
        medal_words = loose or "gold" in low or "silver" in low or "bronze" in low
        event = sent.event
        if event is None:
            return self._medals_by_mention(text, sent, champs) if medal_words else []
        for m in T.MEDAL_VERB.finditer(text, sent.start, sent.end) if medal_words else ():
            if self._placed_elsewhere(text, m.end(), sent):
                continue
            if (found := self._medal_error(text, sent, m, tied)) is not None:
                out.append(found)
        if medal_words and ("medal" in low or loose):
            out += self._medallists(text, sent, champs)
        if loose or "finish" in low or "came" in low or "placed" in low:
            out += self._placings(text, sent, tied)
        out += self._winners(text, sent, tied)
        if (
            sent.discipline
            and not sent.from_context
            and ("final" in low or loose)
            and _FINAL.search(text, sent.start, sent.end)
        ):
            sexes = self._sexes(text, sent)
            if len(sexes) == 1:
                podium = self._podium.get((event.name, event.year or 0, sent.discipline,
                                           sexes.pop()), [])  # fmt: skip
                if podium:
                    tied.setdefault("", podium[0])
        indoors = event.kind == "world_indoors"
        # Marks, margins and dates are read only against a final tied above.
        if tied and not (
            T.NOT_THE_FINAL.search(text, sent.start, sent.end)
            or (not indoors and T.INDOOR.search(text, sent.start, sent.end))
        ):
            out += self._marks(text, sent, tied)
            out += self._final_dates(text, sent, tied)
        out += self._firsts(text, sent)
        return out

    def _medal_error(self, text: str, sent: Sentence, m: re.Match[str],
                     tied: dict[str, MedalResult]) -> Suggestion | None:  # fmt: skip
        """The error in a medal phrase (T.MEDAL_VERB) whose subject has one KB row at the
        sentence's championship, if the medal is not that row's; the row goes into ``tied``."""
        if not self._qualifier_fits(m.group(), sent.event):
            return None
        subject = T.subject_before(sent.athletes, m.start(), sent.start, text,
                                   relative=self._relative(text, sent))  # fmt: skip
        row = self._row(sent, subject[2]) if subject else None
        if row is None:
            return None
        tied[row.athlete] = row
        if m["medal"].lower() == row.medal:
            return None
        fixed = T.recase(m["medal"], row.medal)
        correction = m.group()[: m.start("medal") - m.start()] + fixed + m.group()[
            m.end("medal") - m.start():]  # fmt: skip
        return T.error(text, m.start(), m.end(), "wrong_fact", correction, row.describe(),
                       "kb-medal")  # fmt: skip

    def _placed_elsewhere(self, text: str, pos: int, sent: Sentence) -> bool:
        """Whether the clause after a medal phrase puts it at another host city or in another
        year than the sentence's championship: "won gold in Budapest before the Paris
        Olympics"."""
        event = sent.event
        assert event is not None
        brk = T.CLAUSE_END.search(text, pos, sent.end)
        end = brk.start() if brk else sent.end
        own = fold(event.city or "")
        if any(fold(c) != own for c in self.context.cities_in(text, pos, end, None)):
            return True
        return any(not year_matches(event, int(y.group())) for y in T.YEAR.finditer(text, pos, end))

    def _medals_by_mention(self, text: str, sent: Sentence, champs: Sequence) -> list[Suggestion]:
        """'Kerr took bronze at the Paris Olympics in the 1500m, a year after winning gold at
        the World Championships in Budapest': in a sentence naming several championships, a
        medal phrase is read against the one named right after it, when nothing between them
        (a comma, a year, another host city, "before") points elsewhere."""
        out = []
        for m in T.MEDAL_VERB.finditer(text, sent.start, sent.end):
            after = [c for c in champs if m.end() <= c[0] < sent.end]
            if not after:
                continue
            start, _, event = min(after, key=lambda c: c[0])
            between = text[m.end() : start]
            if (
                len(between) > 40
                or any(map(between.__contains__, ",;:()"))
                or (event.name, event.year) not in self._covered
                or not self.context.plain(text, m.end(), start, event)
            ):
                continue
            if (found := self._medal_error(text, replace(sent, event=event), m, {})) is not None:
                out.append(found)
        return out

    def _relative(self, text: str, sent: Sentence) -> Callable[[int, int], bool] | None:
        """A relative clause ("Nuguse, who took bronze in the 1500m") is read against the
        sentence's championship only when nothing in it points elsewhere ("who took bronze
        in Tokyo", "who won in 2019")."""
        event = sent.event
        if event is None:
            return None
        return lambda start, end: self.context.plain(text, start, end, event)

    def _placings(self, text: str, sent: Sentence,
                  tied: dict[str, MedalResult]) -> list[Suggestion]:  # fmt: skip
        """'Kerr finished third in the 1500m' when the KB has him second in that final. A
        placing outside the medals is read only for a medallist (the KB lists no fourth), and
        not in a sentence about a heat or a semi-final."""
        out: list[Suggestion] = []
        if T.NOT_THE_FINAL.search(text, sent.start, sent.end):
            return out
        for m in T.PLACING.finditer(text, sent.start, sent.end):
            subject = T.subject_before(sent.athletes, m.start(), sent.start, text,
                                       relative=self._relative(text, sent))  # fmt: skip
            row = self._row(sent, subject[2]) if subject else None
            if row is None:
                continue
            tied[row.athlete] = row
            if T.ORDINALS.index(m["place"].lower()) + 1 != row.place:
                right = T.recase(m["place"], T.ORDINALS[row.place - 1])
                correction = text[m.start() : m.start("place")] + right
                out.append(T.error(text, m.start(), m.end(), "wrong_fact", correction,
                                   row.describe(), "kb-medal"))  # fmt: skip
        return out

    def _sexes(self, text: str, sent: Sentence) -> set[str]:
        sexes = {self._athletes[n].sex for _, _, n in sent.athletes} - {None}
        for m in _SEX_WORDS.finditer(text, sent.start, sent.end):
            sexes.add("F" if m[1].lower() == "women" else "M")
        return sexes  # type: ignore[return-value]

    def _medallists(self, text: str, sent: Sentence, champs: Sequence) -> list[Suggestion]:
        """'Paris 2024 silver medallist Josh Kerr': only with the championship written right
        before the phrase (a bare 'bronze medallist' is a title from any year)."""
        out = []
        for m in T.MEDALLIST.finditer(text, sent.start, sent.end):
            before = [
                e
                for s, e_end, e in champs
                if e_end <= m.start() and not text[e_end : m.start()].strip()
            ]
            after = [a for a in sent.athletes
                     if a[0] >= m.end() and not text[m.end() : a[0]].strip()]  # fmt: skip
            if len(before) != 1 or len(after) != 1:
                continue
            local = Sentence(sent.start, sent.end, sent.athletes, before[0], sent.disciplines, [])
            row = self._row(local, after[0][2])
            if row is not None and row.medal != m["medal"].lower():
                out.append(T.error(text, m.start(), m.end(), "wrong_fact",
                                  T.recase(m["medal"], row.medal) + m.group()[len(m["medal"]):],
                                  row.describe(), "kb-medal"))  # fmt: skip
        return out
