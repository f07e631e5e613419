"""Fetching an article by its address (http and https only) and loading it like a file.

A page on the web is not a file the user chose: it can be slow, endless, something else than
a page, or bounce between addresses. So the fetch is bounded in every way: one deadline for
the whole download, a size limit counted on the bytes received (decompressed), at most a few
redirects, each to http(s) only. The page is parsed like a saved .html file (trafilatura on
the bytes; no script runs, nothing else is fetched). The address the user gave is kept as
the source and the moment of the fetch is recorded, since a page can change after it was
checked.

Work happens on a helper thread while the caller's thread keeps calling ``check`` (which may
raise to cancel): a server that never answers would otherwise hold a Cancel button hostage
until the deadline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from annotator import __version__
from annotator.core.textload import MAX_FILE_BYTES, LoadedArticle, LoadError, load_bytes

TIMEOUT_S = 30.0
MAX_PAGE_BYTES = MAX_FILE_BYTES
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_POLL_S = 0.1
_ADDRESS = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: What an address may give, and how it is then read; anything else is refused.
_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
}

#: check(received, expected): raises to stop (the import's cancel); expected 0 when unknown.
Check = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class FetchedPage:
    address: str  # where the bytes finally came from, after redirects
    data: bytes
    content_type: str
    charset: str | None
    fetched_at: dt.datetime  # UTC


def is_address(text: str) -> bool:
    """ "https://…" and other "scheme://" strings: an address, never a file name."""
    return bool(_ADDRESS.match(text.strip()))


def load_address(
    address: str,
    *,
    timeout: float = TIMEOUT_S,
    max_bytes: int = MAX_PAGE_BYTES,
    check: Check | None = None,
) -> LoadedArticle:
    """Fetch ``address`` and load it as an article. Raises LoadError with the reason."""
    address = address.strip()
    page = fetch_page(address, timeout=timeout, max_bytes=max_bytes, check=check)
    suffix = _TYPES.get(page.content_type) or _sniffed(page.data)
    if suffix is None:
        given = page.content_type or "a file of no stated type"
        raise LoadError(address, f"not an article: the address gives {given}")
    data = page.data
    if suffix in (".html", ".txt", ".md") and page.charset and not _has_bom(data):
        # The server's charset outranks a guess; a BOM (which outranks it) keeps the bytes.
        try:
            data = "\ufeff".encode() + data.decode(page.charset).encode()
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong label: the page's own declaration or UTF-8 then decide
    try:
        article = load_bytes(data, name=address, suffix=suffix)
    except LoadError as exc:
        reason = exc.reason.replace("in the HTML", "on the page")
        raise LoadError(address, reason) from None
    return dataclasses.replace(
        article, sha256=hashlib.sha256(page.data).hexdigest(), fetched=page.fetched_at
    )


def fetch_page(
    address: str,
    *,
    timeout: float = TIMEOUT_S,
    max_bytes: int = MAX_PAGE_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    check: Check | None = None,
) -> FetchedPage:
    _check_scheme(address, address)
    progress = [0, 0]
    stop = threading.Event()
    outcome: list[FetchedPage | LoadError | BaseException] = []

    def work() -> None:
        try:
            outcome.append(_fetch(address, timeout, max_bytes, max_redirects, progress, stop))
        except BaseException as exc:  # handed to the waiting thread, raised there
            outcome.append(exc)

    worker = threading.Thread(target=work, name="annotator-fetch", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(_POLL_S)
            if check is not None:
                check(progress[0], progress[1])
    except BaseException:
        # Cancelled: the helper stops at its next chunk, or at its deadline if the server is
        # silent; nothing waits for it.
        stop.set()
        raise
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def _fetch(
    address: str, timeout: float, max_bytes: int, max_redirects: int,
    progress: list[int], stop: threading.Event,
) -> FetchedPage:  # fmt: skip
    import urllib3

    deadline = time.monotonic() + timeout
    http = urllib3.PoolManager(headers={
        "User-Agent": f"annotator/{__version__} (fact-checking article import)",
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    })  # fmt: skip
    try:
        return _follow(http, address, deadline, timeout, max_bytes, max_redirects, progress,
                       stop)  # fmt: skip
    finally:
        http.clear()  # closes the kept-alive connection: no socket outlives the fetch


def _follow(
    http, address: str, deadline: float, timeout: float, max_bytes: int, max_redirects: int,
    progress: list[int], stop: threading.Event,
) -> FetchedPage:  # fmt: skip
    import urllib3

    seen = [address]
    url = address
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LoadError(address, _slow(timeout))
        try:
            response = http.request(
                "GET", url, redirect=False, retries=False, preload_content=False,
                timeout=urllib3.Timeout(connect=remaining, read=remaining),
            )  # fmt: skip
        except urllib3.exceptions.HTTPError as exc:
            raise LoadError(address, _network_reason(exc, timeout)) from None
        try:
            if response.status in _REDIRECTS and response.headers.get("Location"):
                target = urljoin(url, response.headers["Location"])
                _check_scheme(address, target)
                if target in seen:
                    raise LoadError(address, "the address redirects in a loop")
                if len(seen) > max_redirects:
                    raise LoadError(address, f"too many redirects (more than {max_redirects})")
                seen.append(target)
                url = target
                continue
            if response.status >= 400:
                reason = f" {response.reason}" if response.reason else ""
                raise LoadError(address, f"the server answered {response.status}{reason}")
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > max_bytes:
                raise LoadError(address, _too_big(max_bytes))
            progress[1] = declared
            body = bytearray()
            try:
                for chunk in response.stream(_CHUNK, decode_content=True):
                    body += chunk
                    progress[0] = len(body)
                    if len(body) > max_bytes:
                        raise LoadError(address, _too_big(max_bytes))
                    if stop.is_set():
                        raise LoadError(address, "cancelled")
                    if time.monotonic() > deadline:
                        raise LoadError(address, _slow(timeout))
            except urllib3.exceptions.HTTPError as exc:
                raise LoadError(address, _network_reason(exc, timeout)) from None
            kind, charset = _content_type(response.headers.get("Content-Type", ""))
            return FetchedPage(
                address=url, data=bytes(body), content_type=kind, charset=charset,
                fetched_at=dt.datetime.now(dt.UTC),
            )  # fmt: skip
        finally:
            # Closed, not only released: a body left unread (a redirect, a refusal) would
            # otherwise keep its socket open after the pool is cleared.
            response.close()
            response.release_conn()


def _check_scheme(address: str, url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        where = "is" if url == address else "redirects to"
        raise LoadError(
            address, f"only http and https addresses are fetched (this {where} {scheme or '?'}:)"
        )
    if not urlsplit(url).hostname:
        raise LoadError(address, "not a complete address (no host name)")


def _content_type(header: str) -> tuple[str, str | None]:
    kind, _, params = header.partition(";")
    m = re.search(r"charset\s*=\s*\"?([\w.:-]+)", params, re.I)
    return kind.strip().lower(), (m[1] if m else None)


def _sniffed(data: bytes) -> str | None:
    """A server that names no type (or "application/octet-stream"): a page is recognised
    by its first tag, a PDF by its signature."""
    if data.startswith(b"%PDF-"):
        return ".pdf"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return ".html"
    return None


def _has_bom(data: bytes) -> bool:
    return data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))


def _network_reason(exc: Exception, timeout: float) -> str:
    import urllib3

    # NewConnectionError is a ConnectTimeoutError too (urllib3 keeps it so): ask first.
    if isinstance(exc, urllib3.exceptions.NameResolutionError):
        return "the host name is unknown (no such site, or no network)"
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "cannot connect to the site (refused or unreachable)"
    if isinstance(exc, urllib3.exceptions.TimeoutError):
        return _slow(timeout)
    if isinstance(exc, urllib3.exceptions.SSLError):
        return "the secure connection failed (the site's certificate was refused)"
    if isinstance(exc, urllib3.exceptions.LocationParseError):
        return "not a valid address"
    return f"the download failed ({type(exc).__name__})"


def _slow(timeout: float) -> str:
    return f"the site did not deliver the page within {timeout:g} seconds"


def _too_big(limit: int) -> str:
    mb, rest = divmod(limit, 1024 * 1024)
    size = f"{mb} MB" if mb and not rest else f"{limit:,} bytes"
    return f"the page is larger than the {size} limit"
