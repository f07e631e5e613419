"""A surname standing alone that is a typing slip of a full name written earlier in the same
article: "Kiprono Lemayian won ... Lemayain said". Works for people the KB does not know,
where neither the KB nor the corpus can say how the name is spelled, because the article
itself has just spelled it.

Only the slips fingers make count: two adjacent letters transposed, a letter doubled, a
double letter made single; at most two of them. A substituted letter is not one: a different
letter usually makes a different word or person ("Laros" / "Lagos"). A capitalised first name
before the token makes it someone else's full name, and a spelling the KB knows is a real name.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from .model import Suggestion
from .names import first_name_like, surname_of
from .text_helpers import TextContext

RULE = "doc-surname-typo"
MIN_LEN = 5
CONFIDENCE = 0.75  # below fuzzy-kb's, whose note carries the KB evidence
# Full names whose spelling this document vouches for; fuzzy matches are spellings in doubt.
_TRUSTED = frozenset({"kb-exact", "kb-alias", "pattern-name", "spacy-person"})


def slips(word: str) -> set[str]:
    """Every spelling one transposition, doubling or undoubling away from ``word``."""
    out = set()
    for i in range(len(word) - 1):
        a, b = word[i], word[i + 1]
        if a != b:
            out.add(word[:i] + b + a + word[i + 2 :])
        else:
            out.add(word[:i] + word[i + 1 :])
    for i in range(1, len(word)):  # the first letter is never doubled in a typo worth flagging
        out.add(word[: i + 1] + word[i:])
    out.discard(word)
    return out


def is_slip(token: str, surname: str, cache: dict[str, set[str]] | None = None) -> bool:
    """``token`` is one or two slips away from ``surname`` (two only for 7+ letters).
    ``cache``: ``slips`` by spelling, kept by the caller (one document meets the same
    surnames and tokens again and again)."""
    if abs(len(token) - len(surname)) > 2 or token[0] != surname[0] or token == surname:
        return False
    ours = _slips(surname, cache)
    if token in ours:
        return True
    # Each slip undoes with another, so two apart means one slip each way meets in between.
    return len(surname) >= 7 and not ours.isdisjoint(_slips(token, cache))


def _slips(word: str, cache: dict[str, set[str]] | None) -> set[str]:
    if cache is None:
        return slips(word)
    found = cache.get(word)
    if found is None:
        found = cache[word] = slips(word)
    return found


def find_surname_typos(
    ctx: TextContext, athletes: Iterable[Suggestion], *, known: Collection[str] = ()
) -> list[Suggestion]:
    """Error and athlete suggestions for slipped surnames after a trusted full name.

    ``athletes``: the athlete spans found so far; ``known``: every token of a KB name.
    """
    t = ctx.text
    first: dict[str, Suggestion] = {}  # surname -> its first full-name mention
    for found in sorted(athletes, key=lambda a: a.start):
        if found.label == "athlete" and found.rule in _TRUSTED and " " in found.text.strip():
            first.setdefault(surname_of(found.text), found)
    by_initial: dict[str, list[str]] = {}
    for sn in first:
        if " " not in sn and len(sn) >= MIN_LEN and sn[0].isupper():
            by_initial.setdefault(sn[0], []).append(sn)
    if not by_initial:
        return []
    near = _Near(by_initial)
    toks = ctx.cap_tokens
    out: list[Suggestion] = []
    cache: dict[str, set[str]] = {}
    # Few tokens get past the cheap tests; the slips are only computed for those.
    for i, (s, e, tok) in enumerate(toks):
        pool = by_initial.get(tok[0])
        if pool is None or len(tok) < MIN_LEN or tok in first or tok in known:
            continue
        if len(pool) > _FEW:
            pool = near.candidates(tok, pool)
        origin = [sn for sn in pool if first[sn].end <= s and is_slip(tok, sn, cache)]
        if len(origin) != 1:
            continue  # none, or a slip of two names, which says nothing
        sn = origin[0]
        if ctx.is_ordinary(tok) or _in_name(ctx, toks, i, known):
            continue
        source = first[sn]
        note = f"spelled '{sn}' in '{source.text}' earlier in this article"
        out.append(
            Suggestion(
                s,
                e,
                "error",
                tok,
                CONFIDENCE,
                RULE,
                error_type="misspelled_name",
                correction=sn,
                note=note,
            )
        )
        out.append(Suggestion(s, e, "athlete", t[s:e], CONFIDENCE, RULE, entity=source.entity))
    return out


_FEW = 8  # surnames with one initial that are simply all tried; more go through _Near


class _Near:
    """Spelling -> the surnames one slip away from it, built on first use: on a long text (a
    whole book as one document) a token then meets only the surnames it may be a slip of,
    not every surname with its initial."""

    def __init__(self, by_initial: dict[str, list[str]]) -> None:
        self._by_initial = by_initial
        self._near: dict[str, set[str]] | None = None
        # A long text repeats its capitalised words; each is looked up once.
        self._seen: dict[str, list[str]] = {}

    def candidates(self, tok: str, pool: list[str]) -> list[str]:
        """The members of ``pool`` that ``is_slip`` may accept for ``tok``, in pool order."""
        found = self._seen.get(tok)
        if found is None:
            found = self._seen[tok] = self._candidates(tok, pool)
        return found

    def _candidates(self, tok: str, pool: list[str]) -> list[str]:
        if self._near is None:
            self._near = {}
            for names in self._by_initial.values():
                for sn in names:
                    for spelling in slips(sn):
                        self._near.setdefault(spelling, set()).add(sn)
        maybe = set(self._near.get(tok, ()))
        for spelling in slips(tok):  # two slips apart: one each way meets in between
            maybe.update(sn for sn in self._near.get(spelling, ()) if len(sn) >= 7)
        return [sn for sn in pool if sn in maybe]


def _in_name(
    ctx: TextContext, toks: list[tuple[int, int, str]], i: int, known: Collection[str]
) -> bool:
    # "Peter Lemayain Ruto": a name-like neighbour makes the token part of another full name.
    t = ctx.text
    s, e, _ = toks[i]
    if i > 0 and toks[i - 1][1] == s - 1 and t[s - 1] == " ":
        if first_name_like(ctx, toks[i - 1], known):
            return True
    if i + 1 < len(toks) and toks[i + 1][0] == e + 1 and t[e] == " ":
        return not ctx.is_ordinary(toks[i + 1][2])
    return False
