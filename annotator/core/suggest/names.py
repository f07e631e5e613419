"""Athlete mentions: KB names through one Aho-Corasick automaton, unknown people by pattern.

This module also holds the small text toolkit the other suggesters share (sentence bounds,
capitalised tokens, stop lists), because every other suggester keys on names and one scan of
the text per document is what keeps the engine above 1 MB/s.
"""

from __future__ import annotations

import bisect
import importlib.metadata
import logging
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple, Protocol, TypeVar

import ahocorasick

from ..kb import KnowledgeBase
from .model import Suggestion

log = logging.getLogger(__name__)


def installed_spacy_pipelines() -> list[str]:
    """Names of installed spaCy pipeline packages, found without importing spaCy: importing
    it takes about a second, which the window's start and every suggestion run would pay
    even when spaCy is only installed for the DocBin export, with no pipeline to load."""
    return sorted(ep.name for ep in importlib.metadata.entry_points(group="spacy_models"))


def _upper_class() -> str:
    # `re` has no \p{Lu}; a class of every BMP capital lets the scanner skip lowercase words in C.
    ranges: list[list[int]] = []
    for cp in range(0x10000):
        if chr(cp).isupper() or chr(cp).istitle():
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    parts = (re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return "[" + "".join(parts) + "]"


# A name token: a capital, then letters; inner hyphens and apostrophes ("Sha'Carri") but not a
# possessive "'s", so "Kerr’s" yields "Kerr"; combining marks keep NFD "Nordås" in one token.
# Written as an unrolled loop: half the time of the obvious alternation on 1 MB.
NAME_TOKEN = re.compile(
    rf"\b{_upper_class()}[^\W\d_]*"
    r"(?:['’\-](?!s\b)[^\W\d_]+|[\u0300-\u036f]+[^\W\d_]*)*"
)
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-zß-öø-ÿ]\w*")
_BREAK = re.compile(r"\n+|[.!?…]+[\"'’”)\]]*(?=\s|$)")
_ABBREV = frozenset(
    "st mr mrs ms dr jr sr vs etc mt prof gen lt col sgt capt rev inc ltd co fig approx ft "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)

# Lowercase stop words: never (part of) a person's name in these articles. Function words,
# sentence openers, page furniture, months, weekdays and titles; places and event words;
# nationalities ("Kenyan Mary Moraa").
COMMON_WORDS = frozenset(
    "a about according across address advertisement after again against all also although among "
    "an and another any april are around as asked at august author be because been before behind "
    "being best between beyond big birthday both but by can coach comments could cue dame "
    "december despite did do does dr during each either even every far february first for friday "
    "from getty good great had has have he her here him his hobby how however i if image in into "
    "introduction is it its january job july june just king lady last latest little live lord "
    "many march may me meanwhile might monday more most mr mrs ms much must my name near neither "
    "new next no nor not november now october of off old on only onto or other our over phone "
    "photo president prince published queen rating read really references reflecting related "
    "reviews said saturday say says september shall share she should since sir so some source "
    "speaking still subscribe such sunday that the their them then there these they this those "
    "though through thursday to told top tuesday under unless until up updated us very video "
    "views was watch we wednesday well were what when where whether which while who whom whose "
    "why will with within without would yes yet you your"
    .split()
)
PLACE_EVENT_WORDS = frozenset(
    "african algeria america arena asian association athletics australia bahrain bbc belgium "
    "berlin birmingham boston brazil britain brussels budapest canada championship championships "
    "chicago china classic club college committee commonwealth continental council daily diamond "
    "doha edinburgh england eritrea ethiopia eugene european facebook federation field final "
    "finals florence france games germany glasgow grand great guardian heat heats herald holland "
    "independent india indoor indoors instagram ireland italy jamaica japan kenya kingdom lagos "
    "lausanne league london manchester marathon media meeting mexico mile monaco morocco nairobi "
    "nanjing national netherlands news nigeria norway olympic olympics oregon oslo outdoor paris "
    "poland post press prix qatar rabat rome sandnes scotland shanghai silesia spain sport sports "
    "squad stade stadium states stavanger stockholm sweden switzerland team telegraph times tokyo "
    "track trials twitter uganda united university wales weekly world worlds xiamen york youtube "
    "zurich"
    .split()
)
NATIONALITIES = frozenset(
    "african algerian american asian australian bahraini belgian brazilian brit british canadian "
    "chinese danish dutch english eritrean ethiopian european finnish french german greek indian "
    "irish italian jamaican japanese kenyan mexican moroccan nigerian norwegian polish portuguese "
    "qatari scandinavian scot scots scottish spanish swedish swiss turkish ugandan welsh "
    # Nationality nouns and plurals: "the Swede Lukas Björkqvist" is not a three-token name.
    "americans argentine argentinian aussie australians austrian bahamian barbadian belarusian "
    "belgians botswanan brits briton britons bulgarian burundian cameroonian canadians chilean "
    "colombian croatian cuban czech dane danes djiboutian dutchman dutchmen dutchwoman "
    "ecuadorian egyptian emirati englishman englishwoman eritreans estonian ethiopians filipino "
    "finn finns frenchman frenchwoman germans ghanaian grenadian hungarian icelandic indonesian "
    "irishman israeli italians ivorian jamaicans kenyans kiwi korean latvian lithuanian "
    "moroccans motswana nigerians norwegians pakistani peruvian pole poles romanian russian "
    "rwandan saudi scotsman scotswoman senegalese serbian slovak slovenian somali spaniard "
    "spaniards sudanese swede swedes tanzanian trinidadian tunisian ugandans ukrainian "
    "venezuelan welshman zambian zimbabwean"
    .split()
)
# Given names that end like a verb or adverb ("Winfred", "Kimberly", "Sterling"): a sentence
# may open with them although "-ed", "-ly" and "-ing" words there are usually not names.
VERB_LIKE_GIVEN_NAMES = frozenset(
    "Ahmed Alfred Ally Beverly Carly Channing Darling Ed Emily Fielding Fred Golding Hamed "
    "Harding Holly Irving Jed Jing Kelly Kimberly Lily Ling Manfred Manning Marley Med Ming "
    "Mohamed Mohammed Molly Ned Polly Qing Reed Sally Shelly Sterling Ted Wilfred Winfred "
    "Xing Ying"
    .split()
)
STOP_WORDS = COMMON_WORDS | PLACE_EVENT_WORDS | NATIONALITIES

# Words that put a capitalised name in a sporting sentence; "coach" is deliberately absent.
_ATHLETIC = re.compile(
    r"(?<!\w)(?:ran|runs?|running|raced?|races|racing|won|wins?|winning|beat|beats|beaten|"
    r"finals?|champions?|championships?|medal\w*|record\w*|gold|silver|bronze|athletes?|"
    r"sprinters?|runners?|jumpers?|throwers?|hurdlers?|marathon|mile|metres|meters|"
    r"finished|second|third|behind|trials|clocked|qualified|heats?|podium|personal best|pb|"
    r"season['’]s best|\d[\d,]*(?:m|km|metres|meters))(?!\w)",
    re.IGNORECASE,
)
_LISTING = re.compile(r"\s*(?:\(\s*[A-Z][A-Za-z ]{1,24}\)|,\s*[A-Z][A-Za-z ]{1,24})\s*,\s*\d+x\b")
# "former coach Gjert Ingebrigtsen": the role right before a name says it is not an athlete.
_NON_ATHLETE_ROLE = re.compile(
    r"(?<!\w)(?:coach|father|mother|manager|agent|president|journalist|reporter|author|"
    r"presenter|commentator|promoter|chairman|chief|minister)\s+$",
    re.IGNORECASE,
)
# "on May 18", "in June", "May 2024": a KB surname that is also a month is a date there.
_MONTHS = frozenset(
    "January February March April May June July August September October November December"
    .split()
)
_DATE_BEFORE = re.compile(
    r"(?:(?<!\w)(?:in|on|since|until|by|early|late|mid)|\d(?:st|nd|rd|th)?)[ \u00a0]$",
    re.IGNORECASE,
)
_DATE_AFTER = re.compile(r"[ \u00a0]\d{1,4}(?:st|nd|rd|th)?(?!\w)")
_PARTICLES = frozenset("de da di del della der den van von le la du dos das ter ten".split())


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence bounds ``(start, end)``, whitespace trimmed; a line break always ends one.

    Knows abbreviations ("St.", "Mr."), initials ("J. Smith") and numbers ("3:26.73",
    "1,500m"): a full stop only ends a sentence when whitespace follows it.
    """
    out: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _BREAK.finditer(text):
        ms, me = m.span()
        if text[ms] == "\n":
            _append(out, text, start, ms)
        elif _ends_sentence(text, ms, me, n):
            _append(out, text, start, me)
        else:
            continue
        start = me
    _append(out, text, start, n)
    return out


def _ends_sentence(text: str, mark: int, after: int, n: int = -1) -> bool:
    if n < 0:
        n = len(text)
    if text[mark] == ".":
        j = mark
        while j > 0:
            c = text[j - 1]
            if not (c.isalpha() or c == "."):
                break
            j -= 1
        word = text[j:mark]
        if word.lower() in _ABBREV or "." in word or (len(word) == 1 and word.isupper()):
            return False
    k = after
    while k < n and text[k] in " \t\u00a0":
        k += 1
    return not (k < n and text[k].islower())


def _append(out: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e:
        out.append((s, e))


def surname_of(name: str) -> str:
    """Last name with its particles: "Andre De Grasse" -> "De Grasse"."""
    toks = name.split()
    i = len(toks) - 1
    while i > 1 and toks[i - 1].lower() in _PARTICLES:
        i -= 1
    return " ".join(toks[i:])


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or "\u0300" <= ch <= "\u036f"


def at_word_boundary(text: str, start: int, end: int) -> bool:
    """True unless the span continues a longer word ("Kerr" inside "Kerry" or "Kerr-Smith")."""
    if start > 0:
        c = text[start - 1]
        if is_word_char(c) or (c == "-" and start > 1 and text[start - 2].isalpha()):
            return False
    if end < len(text):
        c = text[end]
        if is_word_char(c) or (c == "-" and end + 1 < len(text) and text[end + 1].isalpha()):
            return False
    return True


class TextContext:
    """One document's text with the scans every suggester needs, each computed at most once.

    Plain lazy attributes rather than functools.cached_property, whose lock (Python 3.11)
    costs more than the lookups it guards on a 1 MB document.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._sentences: list[tuple[int, int]] | None = None
        self._starts: list[int] = []
        self._cap_tokens: list[tuple[int, int, str]] | None = None
        self._lower: frozenset[str] | None = None
        self._athletic: dict[int, bool] = {}
        self.memo: dict[str, object] = {}  # per-document results a matcher reuses

    @property
    def sentences(self) -> list[tuple[int, int]]:
        if self._sentences is None:
            self._sentences = sentences(self.text)
            self._starts = [s for s, _ in self._sentences]
        return self._sentences

    def sentence_index(self, pos: int) -> int:
        self.sentences  # noqa: B018 - fills _starts
        return max(bisect.bisect_right(self._starts, pos) - 1, 0)

    def sentence_at(self, pos: int) -> tuple[int, int]:
        sents = self.sentences
        return sents[self.sentence_index(pos)] if sents else (0, 0)

    @property
    def cap_tokens(self) -> list[tuple[int, int, str]]:
        if self._cap_tokens is None:
            self._cap_tokens = [(m.start(), m.end(), m.group()) for m in NAME_TOKEN.finditer(
                self.text)]
        return self._cap_tokens

    def cap_index(self, start: int) -> int | None:
        """Index into cap_tokens of the token starting at ``start``."""
        toks = self.cap_tokens
        i = bisect.bisect_left(toks, (start,))
        return i if i < len(toks) and toks[i][0] == start else None

    @property
    def lower_words(self) -> frozenset[str]:
        if self._lower is None:
            self._lower = frozenset(_LOWER_WORD.findall(self.text))
        return self._lower

    def is_ordinary(self, token: str) -> bool:
        """A stop word, or a word this very document also writes in lowercase ("Reflecting")."""
        low = token.lower()
        if low in STOP_WORDS:
            return True
        lower = self._lower
        if lower is None:
            lower = self.lower_words
        return low in lower

    def is_sentence_initial(self, pos: int) -> bool:
        s, _ = self.sentence_at(pos)
        return not any(ch.isalnum() for ch in self.text[s:pos])

    def athletic(self, pos: int) -> bool:
        i = self.sentence_index(pos)
        if i not in self._athletic:
            s, e = self.sentence_at(pos)
            self._athletic[i] = _ATHLETIC.search(self.text, s, e) is not None
        return self._athletic[i]


def as_context(text: str | TextContext) -> TextContext:
    return text if isinstance(text, TextContext) else TextContext(text)


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Spanned)


def pick_non_overlapping(items: Iterable[S]) -> list[S]:
    """Keep items in the given priority order unless they overlap one already kept."""
    starts: list[int] = []
    ends: list[int] = []
    kept: list[S] = []
    for s in items:
        i = bisect.bisect_left(starts, s.start)
        if (i > 0 and ends[i - 1] > s.start) or (i < len(starts) and starts[i] < s.end):
            continue
        starts.insert(i, s.start)
        ends.insert(i, s.end)
        kept.append(s)
    return kept


class _Hit(NamedTuple):
    start: int
    end: int
    rule: str
    idxs: tuple[int, ...]


_KIND_RANK = {"kb-exact": 0, "kb-alias": 1, "kb-surname": 2}
_CONFIDENCE = {"kb-exact": 0.95, "kb-alias": 0.9, "kb-surname": 0.85}


class NameMatcher:
    """KB athletes' full names, aliases and surnames in one case-sensitive automaton.

    Built once per knowledge base. No lowercase variant: news capitalises names, and matching
    lowercase text would turn surnames that are also words ("bol", "rose") into noise.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.athletes = tuple(kb.athletes)
        self.index = {a.key: i for i, a in enumerate(self.athletes)}
        self.by_surname: dict[str, list[int]] = defaultdict(list)
        self.given: dict[tuple[str, str], int] = {}  # ("Jakob", "Ingebrigtsen") -> athlete
        self.surnames: list[set[str]] = [set() for _ in self.athletes]
        self.known_tokens: set[str] = set()
        entries: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for i, a in enumerate(self.athletes):
            for n, kind in ((a.name, "kb-exact"), *((al, "kb-alias") for al in a.aliases)):
                n = " ".join(n.split())
                if not n:
                    continue
                entries[n][kind].append(i)
                self.known_tokens.update(n.split())
                if " " in n:
                    sn = surname_of(n)
                    self.surnames[i].add(sn)
                    if i not in self.by_surname[sn]:
                        self.by_surname[sn].append(i)
                    self.given.setdefault((n[: -len(sn)].strip(), sn), i)
        for sn, idxs in self.by_surname.items():
            entries[sn]["kb-surname"].extend(idxs)
        self._auto: ahocorasick.Automaton | None = None
        if entries:
            self._auto = ahocorasick.Automaton()
            for key, kinds in entries.items():
                ranked = sorted(kinds.items(), key=lambda kv: _KIND_RANK[kv[0]])
                self._auto.add_word(key, (len(key), tuple((k, tuple(v)) for k, v in ranked)))
            self._auto.make_automaton()

    def anchors(self, found: Iterable[Suggestion]) -> list[tuple[int, int]]:
        """(position, athlete index) of full-name mentions: what a later bare surname refers to."""
        return sorted(
            (s.start, self.index[s.entity])
            for s in found
            if s.label == "athlete" and s.entity in self.index and s.rule != "kb-surname"
        )

    def find_athletes(
        self, text: str | TextContext, *, anchors: Sequence[tuple[int, int]] = ()
    ) -> list[Suggestion]:
        """KB athletes by full name, alias, and surname where the surname can be resolved.

        ``anchors`` adds full-name mentions found elsewhere (misspelled full names) so that a
        later bare surname can resolve to them.
        """
        ctx = as_context(text)
        if self._auto is None:
            return []
        t = ctx.text
        key = f"names:{id(self)}"
        chosen = ctx.memo.get(key)
        if not isinstance(chosen, list):  # the engine calls twice; the scan is done once
            raw = []
            for end_idx, (length, kinds) in self._auto.iter(t):
                start, end = end_idx - length + 1, end_idx + 1
                if at_word_boundary(t, start, end):
                    raw.append(_Hit(start, end, *kinds[0]))
            raw.sort(key=lambda h: (h.start - h.end, h.start))  # longest first
            chosen = ctx.memo[key] = sorted(pick_non_overlapping(raw))
        marks = sorted(anchors)
        last: dict[str, int] = {}  # surname -> most recent full-name mention
        out: list[Suggestion] = []
        ai = 0
        for h in chosen:
            while ai < len(marks) and marks[ai][0] < h.start:
                for sn in self.surnames[marks[ai][1]]:
                    last[sn] = marks[ai][1]
                ai += 1
            name = t[h.start : h.end]
            if name in _MONTHS and _is_date(t, h.start, h.end):
                continue
            if h.rule == "kb-surname":
                i = last.get(name)
                if self._other_person(ctx, h.start, h.end):
                    continue
                if i is None:
                    if len(h.idxs) != 1 or ctx.is_ordinary(name):
                        continue
                    i = h.idxs[0]
            else:
                if len(h.idxs) != 1:
                    continue
                i = h.idxs[0]
                for sn in self.surnames[i]:
                    last[sn] = i
            out.append(
                Suggestion(
                    h.start, h.end, "athlete", name, _CONFIDENCE[h.rule], h.rule,
                    entity=self.athletes[i].key,
                )
            )
        return out

    def _other_person(self, ctx: TextContext, start: int, end: int) -> bool:
        return _other_person(ctx, start, end)


def _is_date(text: str, start: int, end: int) -> bool:
    return (
        _DATE_AFTER.match(text, end) is not None
        or _DATE_BEFORE.search(text, max(0, start - 8), start) is not None
    )


def _other_person(ctx: TextContext, start: int, end: int) -> bool:
    # "Gjert Ingebrigtsen", "Muhammad Ali": a capitalised non-word next to a surname makes
    # it part of someone else's name, so it must not resolve to a KB athlete.
    toks = ctx.cap_tokens
    i = ctx.cap_index(start)
    if i is None:
        return False
    t = ctx.text
    if i > 0 and toks[i - 1][1] == start - 1 and t[start - 1] == " ":
        if not ctx.is_ordinary(toks[i - 1][2]):
            return True
    if i + 1 < len(toks) and toks[i + 1][0] == end + 1 and t[end] == " ":
        return not ctx.is_ordinary(toks[i + 1][2])
    return False


def find_people(
    ctx: TextContext, *, taken: bytearray | None = None, known: Collection[str] = ()
) -> list[Suggestion]:
    """People not in the KB: runs of 2-3 capitalised name tokens in a sporting sentence.

    ``known`` are tokens of known names (the KB's): never mistaken for a sentence-initial verb.
    """
    text = ctx.text
    toks = ctx.cap_tokens
    out: list[Suggestion] = []
    i, n = 0, len(toks)
    while i < n:
        # Most capitalised words stand alone; only runs of adjacent ones can be a full name.
        j = i
        while j + 1 < n and toks[j + 1][0] == toks[j][1] + 1 and text[toks[j][1]] in " \u00a0":
            j += 1
        if j > i:
            _emit_runs(ctx, toks[i : j + 1], taken, known, out)
        i = j + 1
    return out


def _emit_runs(
    ctx: TextContext, run: list[tuple[int, int, str]], taken: bytearray | None,
    known: Collection[str], out: list[Suggestion],
) -> None:
    # Stop words split a run: "Kenyan Mary Moraa" -> "Mary Moraa".
    part: list[tuple[int, int, str]] = []
    for tok in [*run, None]:
        if tok is not None and _name_like(ctx, tok, known):
            part.append(tok)
            continue
        if 2 <= len(part) <= 3:
            s, e = part[0][0], part[-1][1]
            if (
                (taken is None or taken.find(1, s, e) == -1)
                and (ctx.athletic(s) or _LISTING.match(ctx.text, e))
                and not _NON_ATHLETE_ROLE.search(ctx.text, max(0, s - 24), s)
            ):
                out.append(Suggestion(s, e, "athlete", ctx.text[s:e], 0.5, "pattern-name"))
        part = []


def _name_like(ctx: TextContext, tok: tuple[int, int, str], known: Collection[str]) -> bool:
    s, _, word = tok
    if len(word) < 2 or word.isupper() or ctx.is_ordinary(word):
        return False
    # A capitalised verb or adverb opening a sentence ("Reflecting", "Surprisingly"), unless
    # it is a known given name ("Winfred", "Kimberly", "Sterling").
    if not word.endswith(("ing", "ed", "ly")):
        return True
    if word in VERB_LIKE_GIVEN_NAMES or word in known:
        return True
    return not ctx.is_sentence_initial(s)


def find_pattern_mentions(
    ctx: TextContext, people: Iterable[Suggestion], *, taken: bytearray | None = None
) -> list[Suggestion]:
    """Later (or earlier) mentions of people found by pattern: the same full name again, and
    the bare surname ("Kiprono Lemayian ... Lemayian said"), as KB surnames after a full name.
    """
    text = ctx.text
    by_first: dict[str, set[str]] = defaultdict(set)  # first token -> full names
    surnames: set[str] = set()
    for p in people:
        if p.rule != "pattern-name":
            continue
        by_first[p.text.split(" ", 1)[0]].add(p.text)
        sn = surname_of(p.text)
        if " " not in sn and len(sn) >= 3 and not ctx.is_ordinary(sn):
            surnames.add(sn)
    if not by_first:
        return []
    mark = bytearray(taken) if taken is not None else bytearray(len(text))
    out: list[Suggestion] = []
    # One pass over the capitalised tokens: a str.find per name would rescan a long text.
    for s, e, tok in ctx.cap_tokens:
        if mark[s]:
            continue
        for name in by_first.get(tok, ()):
            ne = s + len(name)
            if (
                text.startswith(name, s) and mark.find(1, s, ne) == -1
                and at_word_boundary(text, s, ne)
            ):
                out.append(Suggestion(s, ne, "athlete", name, 0.5, "pattern-name"))
                mark[s:ne] = b"\x01" * (ne - s)
                break
        else:
            if tok in surnames and mark.find(1, s, e) == -1 and not _other_person(ctx, s, e):
                out.append(Suggestion(s, e, "athlete", tok, 0.5, "pattern-surname"))
    return out


class SpacyPeople:
    """PERSON entities from an installed spaCy pipeline; never downloads one."""

    def __init__(self) -> None:
        self._nlp = None
        models = installed_spacy_pipelines()
        if not models:
            return
        try:
            import spacy  # optional: the suggester only gains PERSON entities

            self._nlp = spacy.load(models[0], exclude=["lemmatizer", "textcat"])
        except Exception:  # a broken pipeline must not break suggestions
            log.warning("spaCy pipeline could not be loaded; PERSON suggestions are off",
                        exc_info=True)

    @property
    def available(self) -> bool:
        return self._nlp is not None

    def find(self, ctx: TextContext, *, taken: bytearray | None = None) -> list[Suggestion]:
        if self._nlp is None:
            return []
        out = []
        for ent in self._nlp(ctx.text).ents:
            s, e = ent.start_char, ent.end_char
            if (
                ent.label_ == "PERSON" and " " in ent.text and ctx.athletic(s)
                and not _NON_ATHLETE_ROLE.search(ctx.text, max(0, s - 24), s)
            ):
                if taken is None or taken.find(1, s, e) == -1:
                    out.append(Suggestion(s, e, "athlete", ctx.text[s:e], 0.6, "spacy-person"))
        return out
