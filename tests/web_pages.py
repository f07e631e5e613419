"""A real web server on 127.0.0.1 serving what the web gives a fact-checker: an article, a
slow site, an endless download, a picture, a missing page, redirects (one good, one looping,
one to a non-web address) and a page that is all navigation."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from article_files import write_pdf

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Duplantis clears 6.26 in Budapest | Athletics Daily</title>
<meta property="og:title" content="Duplantis clears 6.26 in Budapest">
<meta property="article:published_time" content="2025-08-12T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/results">Results</a> <a href="/news">News</a></nav>
<main><article>
<h1>Duplantis clears 6.26 in Budapest</h1>
<p>Armand Duplantis set a new world record in the pole vault on Tuesday, clearing 6.26 metres
at the Gyulai István Memorial in Székesfehérvár, Hungary, in front of a crowd of 12,000.</p>
<p>The Swede, who turned 25 in November, improved his own mark for the thirteenth time and
said afterwards that he still felt there was more to come this season.</p>
<p>Emmanouil Karalis of Greece was second with 6.00 metres, his best jump of the year.</p>
</article></main>
<footer>© Athletics Daily · <a href="/privacy">Privacy</a></footer>
</body></html>
"""
ARTICLE_TITLE = "Duplantis clears 6.26 in Budapest"
ARTICLE_SENTENCE = "Armand Duplantis set a new world record in the pole vault on Tuesday"

NAV_ONLY_HTML = """<!doctype html><html><head><title>Athletics Daily</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/results">Results</a></li><li><a href="/calendar">Calendar</a></li></ul></nav>
<footer><a href="/privacy">Privacy</a> <a href="/contact">Contact</a></footer>
</body></html>
"""
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HUGE_BYTES = 21 * 1024 * 1024  # over the 20 MB limit


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"  # the body ends when the connection closes

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        route = {
            "/article": lambda: self._send(200, "text/html; charset=utf-8", ARTICLE_HTML.encode()),
            "/moved": lambda: self._redirect("/article"),
            "/nav": lambda: self._send(200, "text/html", NAV_ONLY_HTML.encode()),
            "/picture.png": lambda: self._send(200, "image/png", PNG),
            "/loop-a": lambda: self._redirect("/loop-b"),
            "/loop-b": lambda: self._redirect("/loop-a"),
            "/to-ftp": lambda: self._redirect("ftp://127.0.0.1/article.html"),
            "/slow": self._slow,
            "/huge": self._huge,
            "/paper": self._pdf,
        }.get(self.path)
        if route is None:
            self._send(404, "text/html", b"<html><body><h1>Not Found</h1></body></html>")
        else:
            route()

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.end_headers()

    def _slow(self) -> None:
        # Answers nothing until the test is over (or half a minute has passed).
        self.server.closing.wait(30)

    def _pdf(self) -> None:
        # A PDF behind an address that does not end in .pdf: the type decides.
        with tempfile.TemporaryDirectory() as folder:
            data = write_pdf(Path(folder) / "paper.pdf").read_bytes()
        self._send(200, "application/pdf", data)

    def _huge(self) -> None:
        # No Content-Length: the limit must be enforced on the bytes as they arrive.
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        chunk = b"<p>" + b"x" * 65530 + b"</p>\n"
        sent = 0
        try:
            while sent < HUGE_BYTES and not self.server.closing.is_set():
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the client hung up at its limit, as it should


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    closing: threading.Event


@contextmanager
def serving() -> Iterator[str]:
    """The server's base address, e.g. http://127.0.0.1:43121, for the ``with`` block."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.closing = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.closing.set()
        server.shutdown()
        server.server_close()
        thread.join()
