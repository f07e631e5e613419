"""The small text toolkit every suggester shares: name tokens, stop lists, sentence bounds,
word boundaries, and ``TextContext``, which computes each scan of a document at most once.

One scan of the text per document, shared by the suggesters, is what keeps the engine above
1 MB/s; hence one context object rather than helpers that each rescan.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import Protocol, TypeVar

# One splitter for the suggesters and the exports; re-exported under the name callers use.
from ..sentences import sentence_bounds as sentences
from .scan import initial_alternatives


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
# Written as an unrolled loop: half the time of the obvious alternation on 1 MB. It opens
# with the capital (\b checked behind it, both ways, as a few capitals are not word
# characters): `re` then skips to capitals in C, another 40% off (see scan.py).
NAME_TOKEN = re.compile(
    _upper_class() + r"(?:(?<=\w)(?<!\w.)|(?<!\w)(?<=\w.))[^\W\d_]*"
    r"(?:['’\-](?!s\b)[^\W\d_]+|[\u0300-\u036f]+[^\W\d_]*)*"
)
LOWER_WORD = re.compile(r"(?<![\w'’])[a-zß-öø-ÿ]\w*")
# The pieces of LOWER_WORD, for TextContext._writes_lower.
_LOWER_FIRST = re.compile(r"[a-zß-öø-ÿ]")
# A lookup searches the whole text, the set costs about 50 searches of a short text: past this
# many distinct words, build the set. A long text's set costs far less than that (it is made
# from the distinct chunks, which the spelling check reads anyway): built at once.
_LAZY_LOOKUPS = 32
_LAZY_TEXT = 20_000  # characters

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
    "why will with within without would yes yet you your".split()
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
    "zurich".split()
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
    "venezuelan welshman zambian zimbabwean".split()
)
# Given names that end like a verb or adverb ("Winfred", "Kimberly", "Sterling"): a sentence
# may open with them although "-ed", "-ly" and "-ing" words there are usually not names.
VERB_LIKE_GIVEN_NAMES = frozenset(
    "Ahmed Alfred Ally Beverly Carly Channing Darling Ed Emily Fielding Fred Golding Hamed "
    "Harding Holly Irving Jed Jing Kelly Kimberly Lily Ling Manfred Manning Marley Med Ming "
    "Mohamed Mohammed Molly Ned Polly Qing Reed Sally Shelly Sterling Ted Wilfred Winfred "
    "Xing Ying".split()
)
STOP_WORDS = COMMON_WORDS | PLACE_EVENT_WORDS | NATIONALITIES

# Words that put a capitalised name in a sporting sentence; "coach" is deliberately absent.
# (?<!\w)(?:ran|…)(?!\w), opening with the class of first characters (scan.py).
_ATHLETIC = re.compile(
    initial_alternatives(
        r"ran|runs?|running|raced?|races|racing|won|wins?|winning|beat|beats|beaten|"
        r"finals?|champions?|championships?|medal\w*|record\w*|gold|silver|bronze|athletes?|"
        r"sprinters?|runners?|jumpers?|throwers?|hurdlers?|marathon|mile|metres|meters|"
        r"finished|second|third|behind|trials|clocked|qualified|heats?|podium|personal best|pb|"
        r"season['’]s best".split("|")
        + [r"\d[\d,]*(?:m|km|metres|meters)"],
        tail=r"(?!\w)",
        ignorecase=True,
    )
)


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or "\u0300" <= ch <= "\u036f"


def at_word_boundary(text: str, start: int, end: int) -> bool:
    """True unless the span continues a longer word ("Kerr" inside "Kerry" or "Kerr-Smith")."""
    # is_word_char inlined: this runs for every automaton hit (~17k per MB).
    if start > 0:
        c = text[start - 1]
        if (c.isalnum() or "\u0300" <= c <= "\u036f") or (
            c == "-" and start > 1 and text[start - 2].isalpha()
        ):
            return False
    if end < len(text):
        c = text[end]
        if (c.isalnum() or "\u0300" <= c <= "\u036f") or (
            c == "-" and end + 1 < len(text) and text[end + 1].isalpha()
        ):
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
        self._chunks: set[str] | None = None
        self._athletic: dict[int, bool] = {}
        self._ordinary: dict[str, bool] = {}  # is_ordinary's answers, by token
        self._searches = 0  # how many words _writes_lower looked for
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
            self._cap_tokens = [
                (m.start(), m.end(), m.group()) for m in NAME_TOKEN.finditer(self.text)
            ]
        return self._cap_tokens

    def cap_index(self, start: int) -> int | None:
        """Index into cap_tokens of the token starting at ``start``."""
        toks = self.cap_tokens
        i = bisect.bisect_left(toks, (start,))
        return i if i < len(toks) and toks[i][0] == start else None

    @property
    def chunks(self) -> set[str]:
        """The distinct whitespace-separated chunks of the text (``set(text.split())``)."""
        if self._chunks is None:
            self._chunks = set(self.text.split())
        return self._chunks

    @property
    def lower_words(self) -> frozenset[str]:
        if self._lower is None:
            # A LOWER_WORD match never spans whitespace and sees whitespace on either side of
            # a chunk: the distinct chunks, one space apart, hold the same matches, and far
            # less text (a twentieth of a long one).
            self._lower = frozenset(LOWER_WORD.findall(" ".join(self.chunks)))
        return self._lower

    def is_ordinary(self, token: str) -> bool:
        """A stop word, or a word this very document also writes in lowercase ("Reflecting")."""
        # Each name matcher asks about the same capitalised words: answered once per token.
        known = self._ordinary.get(token)
        if known is None:
            low = token.lower()
            if low in STOP_WORDS:
                known = True
            elif self._lower is not None:
                known = low in self._lower
            elif self._searches >= _LAZY_LOOKUPS or len(self.text) > _LAZY_TEXT:
                known = low in self.lower_words
            else:
                self._searches += 1
                known = self._writes_lower(low)
            self._ordinary[token] = known
        return known

    def _writes_lower(self, word: str) -> bool:
        """``word in self.lower_words`` without scanning every word of the text (a third of
        the names' time): a LOWER_WORD match is a maximal run of word characters after no
        word character or apostrophe, so ``word`` is one exactly where it occurs with those
        edges (and has that shape)."""
        # The character tests are _LOWER_FIRST and re's \w (str.isalnum, or "_"), spelled
        # out: a regex call per test cost more than the search.
        c = word[:1]
        if (
            not ("a" <= c <= "z" or "ß" <= c <= "ö" or "ø" <= c <= "ÿ")
            or not word.replace("_", "a").isalnum()
        ):
            return False
        t, n, size = self.text, len(self.text), len(word)
        i = t.find(word)
        while i != -1:
            end = i + size
            if (i == 0 or not ((c := t[i - 1]).isalnum() or c in "_'’")) and (
                end == n or not ((c := t[end]).isalnum() or c == "_")
            ):
                return True
            i = t.find(word, i + 1)
        return False

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
    """Keep items in the given priority order unless they share a character with one already
    kept (an empty span shares none)."""
    items = list(items)
    kept: list[S] = []
    if len(items) > _MASK_FROM:
        # A mask of the characters taken: each test and mark costs the span's length, where
        # the sorted lists below cost a list insertion each, quadratic on a long text's
        # 10,000 names (30 ms per MB). On an article's few dozen the lists are cheaper.
        taken = bytearray(max(s.end for s in items))
        for s in items:
            if taken.find(1, s.start, s.end) == -1:
                taken[s.start : s.end] = b"\x01" * (s.end - s.start)
                kept.append(s)
        return kept
    starts: list[int] = []
    ends: list[int] = []
    for s in items:
        if s.start >= s.end:
            kept.append(s)
            continue
        i = bisect.bisect_left(starts, s.start)
        if (i > 0 and ends[i - 1] > s.start) or (i < len(starts) and starts[i] < s.end):
            continue
        starts.insert(i, s.start)
        ends.insert(i, s.end)
        kept.append(s)
    return kept


_MASK_FROM = 256  # items
