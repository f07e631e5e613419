"""Fetching articles by address from a real HTTP server on 127.0.0.1: the page that works,
and each way the web goes wrong, each refused with one line saying why."""

from __future__ import annotations

import datetime as dt
import socket
import time

import pytest
import web_pages
from article_files import PDF_TEXT

from annotator.core.textload import LoadError
from annotator.core.webfetch import fetch_page, is_address, load_address


@pytest.fixture(scope="module")
def site():
    with web_pages.serving() as base:
        yield base


def _reason(address: str, **options) -> str:
    with pytest.raises(LoadError) as caught:
        load_address(address, **options)
    assert caught.value.path == address
    assert "\n" not in caught.value.reason
    return caught.value.reason


def test_an_article_page_is_extracted_and_keeps_its_address_and_fetch_time(site):
    before = dt.datetime.now(dt.UTC)
    article = load_address(f"{site}/article")
    assert article.source == f"{site}/article"
    assert article.title == web_pages.ARTICLE_TITLE
    assert article.published == dt.date(2025, 8, 12)
    assert article.fetched is not None and before <= article.fetched <= dt.datetime.now(dt.UTC)
    assert web_pages.ARTICLE_SENTENCE in article.text
    assert "Székesfehérvár" in article.text  # the server's charset, not a guess
    assert "Privacy" not in article.text and "Results" not in article.text  # no page chrome


def test_a_redirect_is_followed_and_the_given_address_kept(site):
    article = load_address(f"{site}/moved")
    assert article.source == f"{site}/moved"
    assert web_pages.ARTICLE_SENTENCE in article.text
    assert fetch_page(f"{site}/moved").address == f"{site}/article"


def test_an_address_giving_a_pdf_is_read_as_a_pdf(site):
    article = load_address(f"{site}/paper")
    assert article.text == PDF_TEXT and article.encoding == "pdf"
    assert article.source == f"{site}/paper" and article.fetched is not None


def test_a_slow_site_is_given_up_at_the_deadline(site):
    started = time.monotonic()
    reason = _reason(f"{site}/slow", timeout=0.5)
    assert reason == "the site did not deliver the page within 0.5 seconds"
    assert time.monotonic() - started < 5


def test_a_download_over_the_size_limit_is_cut_off(site):
    assert _reason(f"{site}/huge") == "the page is larger than the 20 MB limit"
    # A declared length over the limit is refused before reading.
    assert _reason(f"{site}/article", max_bytes=500) == (
        "the page is larger than the 500 bytes limit"
    )


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/picture.png", "not an article: the address gives image/png"),
        ("/nowhere", "the server answered 404 Not Found"),
        ("/loop-a", "the address redirects in a loop"),
        ("/to-ftp", "only http and https addresses are fetched (this redirects to ftp:)"),
        ("/nav", "no article text found on the page"),
    ],
    ids=["non-html", "404", "redirect-loop", "redirect-to-ftp", "navigation-only"],
)
def test_what_is_not_an_article_is_refused_with_its_reason(site, path, reason):
    assert _reason(f"{site}{path}") == reason


def test_only_web_addresses_are_fetched():
    assert _reason("file:///etc/passwd") == (
        "only http and https addresses are fetched (this is file:)"
    )
    assert is_address("https://example.org/a") and is_address(" HTTP://x ")
    assert not is_address("report.pdf") and not is_address("C:\\news\\a.txt")


def test_cancelling_a_fetch_returns_at_once_even_when_the_site_is_silent(site):
    class Stop(Exception):
        pass

    started = time.monotonic()
    calls = []

    def check(received: int, expected: int) -> None:
        calls.append((received, expected))
        if time.monotonic() - started > 0.3:
            raise Stop

    with pytest.raises(Stop):
        load_address(f"{site}/slow", timeout=20, check=check)
    assert time.monotonic() - started < 2
    assert calls and calls[0] == (0, 0)


def test_a_site_that_refuses_the_connection_is_named_as_such():
    # A port that was free a moment ago: nothing listens there.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert _reason(f"http://127.0.0.1:{port}/article") == (
        "cannot connect to the site (refused or unreachable)"
    )
