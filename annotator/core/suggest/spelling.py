"""Misspelled ordinary words and repeated words: `misspelling` and `other` error suggestions.

Words are checked against Hunspell's en_GB or en_US dictionary (through pyenchant, imported
only when first needed), the variant chosen per article (spelling_variant.py). Precision
comes first: a false alarm costs the fact-checker more than a missed typo. So a word is never
flagged when it is a knowledge-base name, a word the corpus itself uses in several documents,
an athletics word (resources/spelling/athletics.txt), a number, mark or unit, a URL, address,
hashtag or handle, an all-capitals acronym, a mixed-case word, or a Capitalised word in the
middle of a sentence (a name). And it is only flagged when Hunspell's best correction is
clearly the one meant: a single slip (swapped, doubled or dropped letter) and no other
correction as close. Without pyenchant or the dictionaries, spelling is skipped with one log
line; repeated words are still found.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from rapidfuzz.distance import DamerauLevenshtein

from ..kb import KnowledgeBase
from ..resources import resource
from .model import Suggestion
from .repeated_words import repeated_words
from .spelling_variant import AUTO, resolve_variant

log = logging.getLogger(__name__)

RULE_HUNSPELL = "spelling.hunspell"
#: A lower-case word used in at least this many documents of the corpus is the corpus's word.
CORPUS_MIN_DOCUMENTS = 3
MIN_LEN = 3  # two-letter slips ("ot") are too often abbreviations or foreign words
CONFIDENCE = 0.8


_LOGGED: set[str] = set()
_CACHE_LIMIT = 200_000  # distinct chunks remembered per dictionary (a long window session)
_Doubt = tuple[int, str, str]  # offset in the chunk, word, correction
# Per process: a dictionary takes ~15 ms to load and the corrections depend on it alone, so
# every engine (the benchmark builds one per round, a window one per database) shares them.
_LOCK = threading.Lock()
_DICTS: dict[str, Any] = {}
_FIXES: dict[tuple[str, str], str | None] = {}
_PREFIXES = frozenset(
    "out over under up down off mid non pre post anti semi super sub counter inter multi re co "
    "self back fore after head hand cross world".split()
)


class Corpus(Protocol):
    def documents_with(self, word: str) -> int: ...
    def count(self, spelling: str) -> int: ...


# A run of non-space characters; one that is not a URL or the like is split again at the
# dashes and slashes that join words ("metres/second", "fast—faster").
_CHUNK = re.compile(r"\S+")
_PIECE = re.compile(r"[^—–/…|]+")
_SKIP_CHUNK = re.compile(r"\d|@|://|^www\.|^#|\w\.\w{2,}|[=<>_\\{}]")
_EDGE = re.compile(r"^[^\w]+|(?:['’]s|['’])?[^\w]*$")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Trailing punctuation the edge pattern strips and the skip pattern ignores.
_TRAILING = ",.;:!?"
_HYPHENATED_PART = re.compile(r"[^-]+")
_OPENERS = "\"'“‘([*_>#-•"
_ENDS = ".!?"


def _lines(name: str) -> Iterator[str]:
    for line in resource("spelling", name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line


def _athletics_words() -> frozenset[str]:
    return frozenset(word.lower() for word in _lines("athletics.txt"))


def _known_misspellings() -> dict[str, str]:
    typos = {}
    for line in _lines("misspellings.txt"):
        typo, fix = line.split()
        typos[typo] = fix
    return typos


def kb_tokens(kb: KnowledgeBase) -> frozenset[str]:
    """Every word of every name, alias, city and country in the KB, lower-cased."""
    names: list[str] = []
    for a in kb.athletes:
        names += [a.name, *a.aliases, a.country or ""]
    for e in kb.events:
        names += [e.name, *e.aliases, e.city or "", e.country or ""]
    words = {w.lower() for n in names for w in _WORD.findall(n.replace("-", " "))}
    # Newsrooms write accented names in plain letters ("Nordas" for "Nordås").
    return frozenset(words | {_ascii(w) for w in words})


def _ascii(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _slip_cost(word: str, fix: str) -> float:
    """How likely a typist turned ``fix`` into ``word``: a swapped, doubled or dropped-double
    letter costs 0.5, any other single edit 1 (a missing space too: "kn won" for "knwon"),
    more edits their count."""
    d = DamerauLevenshtein.distance(word, fix)
    if d != 1:
        return float(d)
    if len(word) == len(fix) and sorted(word) == sorted(fix):
        return 0.5  # adjacent letters swapped
    short, long_ = (word, fix) if len(word) < len(fix) else (fix, word)
    if len(long_) == len(short) + 1:
        i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
        if (i > 0 and long_[i - 1] == long_[i]) or (
            i + 1 < len(long_) and long_[i + 1] == long_[i]
        ):
            return 0.5
    return 1.0


def _is_split(word: str, fix: str) -> bool:
    return fix.replace(" ", "").replace("-", "").lower() == word.replace("-", "").lower()


def _plain_split(fix: str) -> bool:
    """ "first outdoors" for "firstoutdoors"; not "bed re" (a foreign word cut up) nor "out
    kicked" (English makes words with these prefixes freely)."""
    parts = fix.split(" ")
    return len(parts) == 2 and all(len(p) >= 3 for p in parts) and parts[0].lower() not in _PREFIXES


def clear_correction(word: str, suggestions: Iterable[str]) -> str | None:
    """Hunspell's first suggestion when it is clearly the word meant, else None."""
    ranked = [(s, _slip_cost(word.lower(), s.lower())) for s in list(suggestions)[:10]]
    if not ranked:
        return None
    best, cost = ranked[0]
    # Hunspell offers every split whose halves it knows ("co lour", "kn-won"); as rivals of
    # a one-letter slip they are noise, so only a split ranked first counts.
    rivals = [c for s, c in ranked[1:] if not _is_split(word, s)]
    if cost > 1 or any(c <= cost for c in rivals):
        return None
    if _is_split(word, best) and not _plain_split(best):
        return None
    if word.islower() and not best.replace(" ", "").replace("'", "").islower():
        return None  # a name offered for an ordinary word
    return best


class SpellChecker:
    """The Hunspell dictionaries and the words never flagged, built once per knowledge base."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self._known = kb_tokens(kb) if kb is not None else frozenset()
        self._athletics = _athletics_words()
        self._missing: str | None = None
        self._typos = _known_misspellings()
        self._clean: dict[str, set[str]] = {}
        self._doubts: dict[str, dict[str, tuple[_Doubt, ...]]] = {}
        self._flagged: dict[str, set[str]] = {}

    def unavailable(self) -> str | None:
        """Why spelling cannot be checked here (None when it can)."""
        with _LOCK:
            self._dictionary("en_GB")
        return self._missing

    def _dictionary(self, variant: str) -> Any:
        if variant in _DICTS or self._missing is not None:
            return _DICTS.get(variant)
        try:
            import enchant  # only loaded when spelling is checked: it loads a C library
        except ImportError as exc:
            self._missing = f"pyenchant or libenchant is not installed ({exc})"
        else:
            try:
                _DICTS[variant] = enchant.Dict(variant)
            except enchant.errors.Error as exc:
                self._missing = f"the Hunspell {variant} dictionary is not installed ({exc})"
        if self._missing is not None and self._missing not in _LOGGED:
            # Info, once per process: every pool worker meets the same absence, and the
            # command or window that started the run says so to the user (``unavailable``).
            _LOGGED.add(self._missing)
            log.info("spelling is not checked: %s", self._missing)
        return _DICTS.get(variant)

    def suggest(
        self,
        text: str,
        *,
        variant: str = AUTO,
        corpus: Corpus | None = None,
        variant_starts: Iterable[int] | None = None,
        chunks: set[str] | None = None,
    ) -> list[Suggestion]:
        """Misspellings (when the dictionaries are there) and repeated words in ``text``.
        ``variant_starts``: where British and American spellings start in it, when known
        (spelling_variant.variant_counts); ``chunks``: ``set(text.split())``, when known."""
        found = self.misspellings(
            text, variant=variant, corpus=corpus, variant_starts=variant_starts, chunks=chunks
        )
        return [*found, *repeated_words(text)]

    def misspellings(
        self,
        text: str,
        *,
        variant: str = AUTO,
        corpus: Corpus | None = None,
        variant_starts: Iterable[int] | None = None,
        chunks: set[str] | None = None,
    ) -> list[Suggestion]:
        with _LOCK:  # Hunspell handles are not thread-safe; the window checks on a worker
            return self._misspellings(text, variant, corpus, variant_starts, chunks)

    def _misspellings(
        self,
        text: str,
        variant: str,
        corpus: Corpus | None,
        variant_starts: Iterable[int] | None = None,
        chunks: set[str] | None = None,
    ) -> list[Suggestion]:
        chosen = resolve_variant(variant, text, variant_starts)
        d = self._dictionary(chosen)
        if d is None:
            return []
        # What a chunk holds that is in doubt depends only on the chunk and the dictionary,
        # and most chunks ("the", "Kerr,") recur: each distinct one is looked at once, and
        # the set operations leave the known ones to C.
        # The chunks without doubts (nearly all) are kept in a set: a lookup there costs
        # less than one in a dict that size.
        clean = self._clean.setdefault(chosen, set())
        doubts = self._doubts.setdefault(chosen, {})  # the chunks with doubts
        flagged = self._flagged.setdefault(chosen, set())  # doubts' keys, as a set
        if len(clean) > _CACHE_LIMIT:
            clean.clear()
            doubts.clear()
            flagged.clear()
        if chunks is None:
            # str.split and \S+ both split at str.isspace characters; split is 3x faster.
            chunks = set(text.split())
        for raw in chunks.difference(clean).difference(flagged):  # C iterates the chunks
            if found := self._doubtful_parts(d, chosen, raw):
                flagged.add(raw)
                doubts[raw] = found
            else:
                clean.add(raw)
        in_doubt = chunks & flagged
        out: list[Suggestion] = []
        if not in_doubt:
            return out  # most articles: no second pass
        for chunk_start, raw in _occurrences(text, in_doubt):
            for offset, word, fix in doubts[raw]:
                start = chunk_start + offset
                if word[0].isupper():
                    if not _at_sentence_start(text, start):
                        continue  # a name, or a title's word
                elif corpus is not None and (
                    corpus.documents_with(word.lower()) >= CORPUS_MIN_DOCUMENTS
                ):
                    continue  # the corpus's own word
                out.append(Suggestion(
                    start, start + len(word), "error", word, CONFIDENCE, RULE_HUNSPELL,
                    error_type="misspelling", correction=fix,
                    note=f"not in the {chosen} dictionary",
                ))  # fmt: skip
        return out

    def _doubtful_parts(self, d: Any, variant: str, raw: str) -> tuple[_Doubt, ...]:
        """The words of a chunk that are misspelled with a clear correction, whatever their
        context: (offset in the chunk, word, correction). Context decides later."""
        word = raw.rstrip(_TRAILING)
        if word.isalpha():
            # Most chunks: a word, perhaps with a comma or full stop, which the general path
            # below would take whole as its one part (letters are word characters).
            if self._accepted(d, word) or (fix := self._correction(d, variant, word)) is None:
                return ()
            return ((0, word, fix),)
        if _SKIP_CHUNK.search(raw):
            return ()  # numbers, marks, units, URLs, addresses, hashtags, handles, markup
        out = []
        for piece in _PIECE.finditer(raw):
            lead = _EDGE.match(piece.group())
            left = piece.start() + (lead.end() if lead else 0)
            core = _EDGE.sub("", piece.group())
            if not core or not all(c.isalpha() or c in "-'’" for c in core):
                continue  # "e.g", "3:26.73" and other non-words
            for part in _HYPHENATED_PART.finditer(core):
                word = part.group()
                if not _WORD.fullmatch(word) or self._accepted(d, word):
                    continue
                fix = self._correction(d, variant, word)
                if fix is not None:
                    out.append((left + part.start(), word, fix))
        return tuple(out)

    def _accepted(self, d: Any, word: str) -> bool:
        """Never flagged: too short, a KB name, an athletics word, an acronym, a mixed-case
        word, a word (or plural) the dictionary has, a Capitalised word not known as a typo."""
        lower = word.lower()
        if len(word) < MIN_LEN or lower in self._known or lower in self._athletics:
            return True
        if word.isupper() or any(c.isupper() for c in word[1:]):
            return True  # acronyms, McLaughlin, iPhone
        if word[0].isupper() and lower not in self._typos:
            return True  # a name the dictionary lacks, or a typo only a list can tell
        plain = word.replace("’", "'")
        if d.check(plain) or (plain[0].isupper() and d.check(plain.lower())):
            return True
        # A plural the dictionary lacks of a word it has ("back and forths").
        return plain.endswith("s") and len(plain) > 4 and bool(d.check(plain[:-1]))

    def _correction(self, d: Any, variant: str, word: str) -> str | None:
        lower = word.lower()
        fix = self._typos.get(lower)
        if fix is None:
            key = (variant, lower)
            if key not in _FIXES:  # enchant's suggest takes ~25 ms: once per word
                _FIXES[key] = clear_correction(lower, d.suggest(lower))
            fix = _FIXES[key]
        if fix is not None and word[0].isupper():
            fix = fix[0].upper() + fix[1:]
        return fix


def _occurrences(text: str, chunks: Iterable[str]) -> list[tuple[int, str]]:
    """(start, chunk) of every whitespace-delimited occurrence of ``chunks``, in text order:
    what ``_CHUNK.finditer`` would yield of them, found with str.find (they are few)."""
    out = []
    n = len(text)
    for raw in chunks:
        size = len(raw)
        i = text.find(raw)
        while i != -1:
            if (i == 0 or text[i - 1].isspace()) and (i + size == n or text[i + size].isspace()):
                out.append((i, raw))
            i = text.find(raw, i + 1)
    out.sort()
    return out


def _at_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i] in " \t\u00a0" or text[i] in _OPENERS):
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] in _ENDS


__all__ = [
    "RULE_HUNSPELL",
    "SpellChecker",
    "clear_correction",
    "kb_tokens",
    "repeated_words",
]
