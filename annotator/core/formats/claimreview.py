"""schema.org ClaimReview (JSON-LD): one fact check per accepted error span.

Search engines (Google's fact-check rich results, the Google Fact Check Tools) and fact-check
aggregators read ClaimReview. We write one JSON-LD document, ``{"@context": "https://schema.org",
"@graph": [...]}``; paste its reviews into the page that publishes the fact checks, or load the
file into a fact-check database. Only *accepted* spans whose label is an error become reviews:
pending suggestions are not yet a finding, and athlete/event/date tags are not claims.

Each review follows Google's ClaimReview guidance: ``claimReviewed`` is the sentence that holds
the error (the claim as the article made it), ``reviewRating`` carries a textual verdict in
``alternateName`` (what Google shows) on a 1-5 scale where 1 is false, ``author`` is the
fact-checking organisation, ``itemReviewed`` is the Claim with the article as its
``appearance``, and ``reviewBody`` quotes the wrong text with its correction and evidence.
Google also requires ``url``, the page hosting the fact check: give ``review_url`` and each
review gets that page plus an anchor; without it the notes say the output is not yet eligible.

The reviewing organisation is required, never defaulted: a review credited to the program (or to
a placeholder) would be published under the wrong name, so the writer refuses to start without
one (``MissingPublisher``). ``datePublished`` is the day the reviews are exported, the nearest
thing to the day the desk publishes them (what Google means by it); a span's acceptance date is
when someone clicked, not when the fact check appeared. ``itemReviewed.author`` (who made the
claim) is written only when a record names it (``author``): a name guessed from a web address
would put words in the wrong mouth.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, TextIO
from urllib.parse import quote, urlsplit

from annotator.core.formats.jsonl import dumps_line
from annotator.core.formats.records import ExportNotes, error_labels
from annotator.core.formats.tokens import sentence_at
from annotator.core.tagset import Tagset

SCHEMA_CONTEXT = "https://schema.org"
# Verdicts read by people in search results, so they say what is wrong, not just "False".
VERDICTS: dict[str, str] = {
    "misspelled_name": "Incorrect: misspelled name",
    "misspelling": "Incorrect: misspelling",
    "wrong_date": "Incorrect: wrong date",
    "wrong_number": "Incorrect: wrong number",
    "wrong_fact": "False",
    "other": "Incorrect",
}
_URL_SAFE = "!#$&'()*+,/:;=?@[]-._~%"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_FALSE_RATING = {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1}


class MissingPublisher(ValueError):
    """A ClaimReview export without the reviewing organisation's name (or with an address that
    is not a web address); the message says what to give."""


def check_publisher(name: str | None, url: str | None) -> tuple[str, str | None]:
    """The organisation's name and address, trimmed; MissingPublisher when the name is empty
    or the address is not http(s)."""
    name = (name or "").strip()
    if not name:
        raise MissingPublisher(
            "ClaimReview needs the fact-checking organisation that publishes the reviews: give "
            "--publisher NAME (and --publisher-url URL, its web address)"
        )
    url = (url or "").strip() or None
    if url is not None and urlsplit(url).scheme.lower() not in ("http", "https"):
        raise MissingPublisher(f"the publisher's address must start with https:// (got {url!r})")
    return name, url


class ClaimReviewWriter:
    """Write the ClaimReview graph, streamed: the header on the first write, one review per line,
    the closing brackets in ``finish``. Documents without accepted errors add nothing.

    ``publisher`` names the fact-checking organisation (the reviews' author), ``publisher_url``
    its web site; ``review_url`` is the page that will publish the fact checks;
    ``date_published`` the reviews' publication date (today by default); ``tagset`` adds its
    labels that carry error attributes to the labels treated as errors (besides "error")."""

    def __init__(
        self,
        fh: TextIO,
        *,
        publisher: str | None,
        publisher_url: str | None = None,
        tagset: Tagset | None = None,
        review_url: str | None = None,
        date_published: dt.date | None = None,
    ) -> None:
        name, url = check_publisher(publisher, publisher_url)
        self._fh = fh
        self._author: dict[str, Any] = {"@type": "Organization", "name": name}
        if url is not None:
            self._author["url"] = _as_url(url)
        self._date = (date_published or dt.date.today()).isoformat()
        self._review_url = review_url
        self._error_labels = error_labels(tagset)
        self._count = 0
        self._started = False

    def write(self, record: Mapping[str, Any]) -> None:
        self._start()
        for number, span in enumerate(record.get("spans") or (), start=1):
            if span["label"] not in self._error_labels or span.get("status") == "pending":
                continue
            review = self._review(record, span, number)
            self._fh.write(("\n" if self._count == 0 else ",\n") + dumps_line(review))
            self._count += 1

    def finish(self) -> ExportNotes:
        self._start()
        self._fh.write("\n]}\n")
        notes = ExportNotes()
        if self._count and not self._review_url:
            notes.add(
                "ClaimReview: no review URL was given, so the reviews have no 'url'; Google "
                "requires the address of the page that publishes the fact checks"
            )
        return notes

    def _start(self) -> None:
        if not self._started:
            self._started = True
            self._fh.write(f'{{"@context": "{SCHEMA_CONTEXT}",\n"@graph": [')

    def _review(
        self, record: Mapping[str, Any], span: Mapping[str, Any], number: int
    ) -> dict[str, Any]:
        text: str = record["text"]
        start, end = sentence_at(text, span["start"], span["end"])
        review: dict[str, Any] = {"@type": "ClaimReview"}
        if self._review_url:
            anchor = f"claim-{record.get('id')}-{number}"
            review["url"] = _anchored(_as_url(self._review_url), anchor)
        review["claimReviewed"] = " ".join(text[start:end].split())
        review["datePublished"] = self._date
        review["itemReviewed"] = _claim(record)
        review["author"] = self._author
        review["reviewRating"] = {**_FALSE_RATING, "alternateName": verdict(span.get("error_type"))}
        review["reviewBody"] = review_body(span)
        return review


def verdict(error_type: str | None) -> str:
    """The textual rating for an error type; an unknown type still reads as incorrect."""
    if error_type is None:
        return VERDICTS["other"]
    return VERDICTS.get(error_type, f"Incorrect: {error_type.replace('_', ' ')}")


def review_body(span: Mapping[str, Any]) -> str:
    """The review in words: the wrong text, what it should be, and the evidence."""
    parts = [f"The article says “{span['text']}”, which is incorrect."]
    if span.get("correction"):
        parts.append(_sentence(f"Correct: {span['correction']}"))
    if span.get("note"):
        parts.append(_sentence(f"Evidence: {span['note']}"))
    return " ".join(parts)


def _claim(record: Mapping[str, Any]) -> dict[str, Any]:
    appearance: dict[str, Any] = {"@type": "NewsArticle"}
    source = record.get("source")
    if isinstance(source, str) and urlsplit(source).scheme.lower() in ("http", "https"):
        appearance["url"] = _as_url(source)
    title = record.get("title")
    if title:
        appearance["headline"] = title
        appearance["name"] = title
    claim: dict[str, Any] = {"@type": "Claim"}
    published = record.get("published")
    if published:
        appearance["datePublished"] = published
        # The claim was made when the article appeared: Google reads this as the claim date.
        claim["datePublished"] = published
    claim["appearance"] = appearance
    author = record.get("author")
    if isinstance(author, str) and author.strip():
        # The article's byline (what trafilatura and news metadata call the author).
        claim["author"] = {"@type": "Person", "name": author.strip()}
    return claim


def _as_url(url: str) -> str:
    """Spaces and non-ASCII percent-encoded (as a browser would) so the value is a valid URL."""
    return quote(_STRAY_PERCENT.sub("%25", url.strip()), safe=_URL_SAFE)


def _anchored(url: str, anchor: str) -> str:
    # Google allows the page URL plus an optional anchor, so an existing anchor is kept.
    return url if "#" in url else f"{url}#{anchor}"


def _sentence(words: str) -> str:
    words = words.strip()
    return words if words.endswith((".", "!", "?", "…")) else words + "."
