"""Misspelled names: near-misses of KB names, and rare spellings of names the corpus knows.

Precision over recall: a wrong "error" costs a fact-checker more than a missed one, and many
real names sit one letter apart (Kerr/Kerry, Laros/Lagos, Hassan/Hasan). So a candidate must
share the first letter, differ by one edit (two for names of ten letters or more), not be a
KB name or an ordinary word, and, below eight letters, be tied to the athlete by context
(first name, the full name elsewhere in the document, or the corpus).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from ..kb import KnowledgeBase
from .model import Suggestion
from .names import NameMatcher, first_name_like
from .text_helpers import LOWER_WORD, NAME_TOKEN, STOP_WORDS, TextContext, as_context

MIN_LEN = 5  # shorter names have too many real one-letter neighbours (Bol/Boll, Mo/Moh)
UNTIED_MIN_LEN = 8  # below this a near-miss needs context tying it to the athlete
CORPUS_MIN_LEN = 7
CORPUS_MIN_COUNT = 5
CORPUS_RATIO = 5


def max_edits(n: int) -> int:
    return 0 if n < MIN_LEN else 1 if n < 10 else 2


def _similarity(a: str, b: str, d: int) -> float:
    return 1.0 - d / max(len(a), len(b))


def _nearest(token: str, pool: Iterable[str], k: int) -> tuple[str, int] | None:
    """The single closest spelling within k edits; None if none or if two tie (ambiguous)."""
    best: tuple[str, int] | None = None
    tie = False
    # rapidfuzz measures the whole pool in one call and keeps those within k.
    choices = pool if isinstance(pool, list) else list(pool)
    near = process.extract(
        token, choices, scorer=DamerauLevenshtein.distance, score_cutoff=k, limit=None
    )
    for cand, d, _ in near:
        if cand == token:
            continue
        if best is None or d < best[1]:
            best, tie = (cand, d), False
        elif d == best[1]:
            tie = True
    return None if tie else best


def _is_plural_of(token: str, surnames: Container[str]) -> bool:
    """ "Ingebrigtsens", "Duplantises": a KB surname's plural ("Duplantiss" is a typo)."""
    if token.endswith("es") and token[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return token[:-2] in surnames
    return token.endswith("s") and not token.endswith("ss") and token[:-1] in surnames


class _Buckets:
    """Spellings by (first letter, length): a token is only compared with its few neighbours."""

    def __init__(self) -> None:
        self._by: dict[tuple[str, int], list[str]] = {}

    def add(self, word: str) -> None:
        """``word``, which the buckets do not hold yet."""
        self._by.setdefault((word[0], len(word)), []).append(word)

    def near(self, token: str, k: int) -> list[str]:
        out: list[str] = []
        for n in range(len(token) - k, len(token) + k + 1):
            out += self._by.get((token[0], n), ())
        return out


class CorpusNames:
    """How often each capitalised spelling occurs across a corpus; mergeable across workers."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        # In how many documents each lower-case word occurs: the spelling checker accepts a
        # word the corpus uses widely (jargon, the house's own spellings).
        self._lower_docs: Counter[str] = Counter()
        # Derived from the counts, rebuilt lazily after any change: the spellings frequent
        # enough to be a dominant variant, and dominant_variant's answers.
        self._frequent: _Buckets | None = None
        self._dominant: dict[str, tuple[str, int, float] | None] = {}

    def _changed(self) -> None:
        self._frequent = None
        self._dominant = {}

    def add_text(self, text: str) -> None:
        self._changed()
        found = [t for t in NAME_TOKEN.findall(text) if len(t) >= 2 and not t.isupper()]
        self._counts.update(found)
        self._lower_docs.update(set(LOWER_WORD.findall(text)))

    def update(self, other: CorpusNames) -> None:
        self.add_counts(*other.counts())

    def counts(self) -> tuple[Counter[str], Counter[str]]:
        """(occurrences of each capitalised spelling, documents using each lower-case word):
        all a count holds, for ``add_counts`` in another process."""
        return self._counts, self._lower_docs

    def add_counts(self, counts: Counter[str], lower_docs: Counter[str]) -> None:
        """Adds what ``counts`` of a count over other documents gave."""
        self._changed()
        self._counts.update(counts)
        self._lower_docs.update(lower_docs)

    def merge(self, other: CorpusNames) -> CorpusNames:
        merged = CorpusNames()
        merged.update(self)
        merged.update(other)
        return merged

    def count(self, spelling: str) -> int:
        return self._counts.get(spelling, 0)

    def documents_with(self, word: str) -> int:
        """How many documents use the lower-case ``word``."""
        return self._lower_docs.get(word, 0)

    def __len__(self) -> int:
        return len(self._counts)

    def is_ordinary(self, word: str) -> bool:
        return word.lower() in self._lower_docs or word.lower() in STOP_WORDS

    def dominant_variant(self, token: str) -> tuple[str, int, float] | None:
        """A far more frequent spelling one or two edits away: (spelling, count, similarity)."""
        k = max_edits(len(token))
        if len(token) < CORPUS_MIN_LEN or k == 0:
            return None
        try:
            return self._dominant[token]
        except KeyError:
            pass
        if self._frequent is None:
            self._frequent = _Buckets()
            for sp, c in self._counts.items():
                if c >= CORPUS_MIN_COUNT:
                    self._frequent.add(sp)
        counts = self._counts
        least = CORPUS_RATIO * max(1, counts.get(token, 0))
        pool = (sp for sp in self._frequent.near(token, k) if counts[sp] >= least)
        hit = _nearest(token, pool, k)
        out = None
        if hit is not None and not self.is_ordinary(hit[0]):
            out = hit[0], counts[hit[0]], _similarity(token, hit[0], hit[1])
        self._dominant[token] = out
        return out


class MisspellingMatcher:
    """Fuzzy matching against KB surnames, built once per knowledge base."""

    def __init__(self, kb: KnowledgeBase, names: NameMatcher | None = None) -> None:
        self.names = names or NameMatcher(kb)
        self._surnames = _Buckets()
        for sn in self.names.by_surname:
            if " " not in sn and len(sn) >= MIN_LEN:
                self._surnames.add(sn)
        self._given: dict[str, list[tuple[str, int]]] = {}
        for (given, sn), i in self.names.given.items():
            self._given.setdefault(sn, []).append((given, i))
        self._event_tokens = {t for e in kb.events for n in (e.name, *e.aliases) for t in n.split()}
        self._cache: dict[str, tuple[str, int] | None] = {}

    def _kb_near(self, token: str) -> tuple[str, int] | None:
        if token not in self._cache:
            k = max_edits(len(token))
            hit = _nearest(token, self._surnames.near(token, k), k) if k else None
            # Two edits only when they leave most of a long name intact.
            if hit and hit[1] == 2 and _similarity(token, hit[0], 2) < 0.8:
                hit = None
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[token] = hit
        return self._cache[token]

    def find(
        self,
        text: str | TextContext,
        *,
        anchors: Sequence[tuple[int, int]] = (),
        corpus: CorpusNames | None = None,
    ) -> tuple[list[Suggestion], list[tuple[int, int]]]:
        """Error and athlete suggestions, plus the full-name anchors the fuzzy matches add.

        ``anchors`` are (position, athlete index) of correctly spelled full names, so that a
        misspelled bare surname resolves to the athlete last named in full.
        """
        ctx = as_context(text)
        t = ctx.text
        names = self.names
        toks = ctx.cap_tokens
        out: list[Suggestion] = []
        marks = sorted(anchors)
        anchored = {sn for _, i in marks for sn in names.surnames[i]}
        new: list[tuple[int, int]] = []
        last: dict[str, int] = {}  # surname -> athlete last named in full before this token
        ai = 0
        for ti, (s, e, tok) in enumerate(toks):
            while ai < len(marks) and marks[ai][0] < s:
                last.update(dict.fromkeys(names.surnames[marks[ai][1]], marks[ai][1]))
                ai += 1
            if len(tok) < MIN_LEN or tok in names.known_tokens or tok.isupper():
                continue
            if tok in self._event_tokens or ctx.is_ordinary(tok):
                continue
            if _is_plural_of(tok, names.by_surname):
                continue  # "the Ingebrigtsens": a family, not a typo
            prev = toks[ti - 1] if ti and t[toks[ti - 1][1] : s] == " " else None
            hit = self._kb_near(tok)
            if hit is None and prev is not None:  # "Sifan Hasan": Hassan, not Hasay
                hit = self._kb_near_given(prev[2], tok)
            if hit is None:
                if (i := self._first_name(ctx, toks, ti, out)) is not None:
                    new.append((s, i))
                    last.update(dict.fromkeys(names.surnames[i], i))
                elif corpus is not None and not corpus.is_ordinary(tok):
                    self._corpus(ctx, s, e, tok, corpus, out)
                continue
            sn, d = hit
            if corpus is not None and corpus.count(tok) >= max(CORPUS_MIN_COUNT, corpus.count(sn)):
                continue  # an established spelling in its own right
            sim = _similarity(tok, sn, d)
            athlete, span_start, err_start, correction = None, s, s, sn
            if prev and (prev[2], sn) in names.given:  # "Jakob Ingebrigsten"
                athlete, span_start = names.given[(prev[2], sn)], prev[0]
            elif prev and (g := self._near_given(prev[2], sn)) is not None:  # both tokens off
                athlete, span_start, err_start = g[1], prev[0], prev[0]
                correction = f"{g[0]} {sn}"
            elif prev and first_name_like(ctx, prev, names.known_tokens):
                continue  # "Ahmed Hasan" is someone else than Sifan Hassan, not a typo
            elif len(names.by_surname[sn]) == 1:
                athlete = names.by_surname[sn][0]
            else:
                athlete = last.get(sn)
            by_corpus = corpus is not None and corpus.count(sn) >= max(
                CORPUS_MIN_COUNT, CORPUS_RATIO * corpus.count(tok)
            )
            if len(tok) < UNTIED_MIN_LEN and not (span_start != s or by_corpus):
                # The athlete named elsewhere ties a short near-miss to them, except at a
                # sentence start, where capitalised ordinary words live ("Moral" / Moraa).
                if sn not in anchored or ctx.is_sentence_initial(s):
                    continue
            conf = round(0.9 * sim, 2)
            note = "KB: " + (
                names.athletes[athlete].name
                if athlete is not None
                else ", ".join(names.athletes[i].name for i in names.by_surname[sn])
            )
            if corpus is not None and corpus.count(sn) >= CORPUS_MIN_COUNT:
                note += f"; spelled '{sn}' {corpus.count(sn)} times in the corpus"
            out.append(
                Suggestion(
                    err_start,
                    e,
                    "error",
                    t[err_start:e],
                    conf,
                    "fuzzy-kb",
                    error_type="misspelled_name",
                    correction=correction,
                    note=note,
                )
            )
            if athlete is not None:
                out.append(
                    Suggestion(
                        span_start,
                        e,
                        "athlete",
                        t[span_start:e],
                        conf,
                        "fuzzy-kb-athlete",
                        entity=names.athletes[athlete].key,
                    )
                )
                if span_start != s:
                    new.append((span_start, athlete))
                    last.update(dict.fromkeys(names.surnames[athlete], athlete))
        return out, new

    def _kb_near_given(self, given: str, token: str) -> tuple[str, int] | None:
        """The KB surname near ``token`` that ``given`` is the first name of, when only one
        is: the first name settles what a near-miss of two surnames meant."""
        k = max_edits(len(token))
        if not k:
            return None
        pool = (sn for sn in self._surnames.near(token, k) if (given, sn) in self.names.given)
        return _nearest(token, pool, k)

    def _near_given(self, token: str, sn: str) -> tuple[str, int] | None:
        """A first name one edit from exactly one KB first name for this surname."""
        if len(token) < MIN_LEN or token in self.names.known_tokens:
            return None
        pool = {g: i for g, i in self._given.get(sn, ()) if " " not in g and g[0] == token[0]}
        hit = _nearest(token, pool, 1)
        return (hit[0], pool[hit[0]]) if hit else None

    def _first_name(
        self,
        ctx: TextContext,
        toks: list[tuple[int, int, str]],
        ti: int,
        out: list[Suggestion],
    ) -> int | None:
        # "Jakop Ingebrigtsen": the surname is right, the first name one edit off a KB one.
        s, e, tok = toks[ti]
        if ti + 1 >= len(toks) or ctx.text[e : toks[ti + 1][0]] != " ":
            return None
        _, ne, sn = toks[ti + 1]
        if sn not in self.names.by_surname or (g := self._near_given(tok, sn)) is None:
            return None
        given, i = g
        sim = _similarity(tok, given, 1)
        conf = round(0.9 * sim, 2)
        name = self.names.athletes[i].name
        out.append(
            Suggestion(
                s,
                e,
                "error",
                tok,
                conf,
                "fuzzy-kb",
                error_type="misspelled_name",
                correction=given,
                note=f"KB: {name}",
            )
        )
        out.append(
            Suggestion(
                s,
                ne,
                "athlete",
                ctx.text[s:ne],
                conf,
                "fuzzy-kb-athlete",
                entity=self.names.athletes[i].key,
            )
        )
        return i

    def _corpus(
        self,
        ctx: TextContext,
        s: int,
        e: int,
        tok: str,
        corpus: CorpusNames,
        out: list[Suggestion],
    ) -> None:
        hit = corpus.dominant_variant(tok)
        if hit is None:
            return
        spelling, n, sim = hit
        out.append(
            Suggestion(
                s,
                e,
                "error",
                tok,
                round(0.75 * sim, 2),
                "fuzzy-corpus",
                error_type="misspelled_name",
                correction=spelling,
                note=f"spelled '{spelling}' {n} times in the corpus",
            )
        )
