"""Loading article files: decoding, normalisation, metadata, HTML extraction, folder walking.

Fixture files are written into tmp_path by the tests themselves, byte for byte, so each test
shows exactly what a user's file contained.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
import os
import pickle
import random
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from needs import missing

from annotator.core.textload import (
    MAX_FILE_BYTES,
    LoadedArticle,
    LoadError,
    iter_article_paths,
    load_article,
    load_bytes,
    normalise_text,
)

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []

# Characters cp1252 has but Latin-1 does not, plus a decomposable letter.
SAMPLE = "Karsten Warholm beat Nordås — “quoted” – in 46.70 é\n\nSecond paragraph.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def load_error(path: Path) -> LoadError:
    with pytest.raises(LoadError) as info:
        load_article(path)
    assert info.value.path == str(path)
    return info.value


# --- the seed articles ------------------------------------------------------------------------


@pytest.fixture
def seeds() -> list[Path]:
    if not SEED_FILES:
        missing("../shared/seeds is not present")
    return SEED_FILES


def test_every_seed_loads(seeds: list[Path]) -> None:
    for seed in seeds:
        _check_seed(seed)


def _check_seed(seed: Path) -> None:
    article = load_article(seed)
    assert article.title.strip()
    assert len(article.title) <= 150
    assert len(article.text) > 500
    assert "\r" not in article.text
    assert normalise_text(article.text) == article.text
    assert article.sha256 == hashlib.sha256(seed.read_bytes()).hexdigest()
    assert article.source == str(seed)
    assert article.encoding == "utf-8"


def test_seed_000_date_header_is_metadata_not_text(seeds: list[Path]) -> None:
    article = load_article(SEEDS / "000_98419795431c2651.txt")
    assert article.published == dt.date(2025, 9, 12)
    assert article.text.startswith("British runner Josh Kerr has made his feelings known")
    assert "2025-09-12" not in article.text
    # The first line is a whole paragraph, so the title is its first sentence, shortened.
    assert article.title.startswith("British runner Josh Kerr")
    assert article.title.endswith("…")
    assert len(article.title) <= 80


def test_seed_001_headline_is_the_title_and_stays_in_the_text(seeds: list[Path]) -> None:
    article = load_article(SEEDS / "001_23c1e50ed57fd6de.txt")
    title = "Josh Kerr opens up on his intense rivalry with Jakob Ingebrigtsen (2024)"
    assert article.title == title
    assert article.text.startswith(title + "\n\n")
    assert article.published is None


# --- decoding ---------------------------------------------------------------------------------


ENCODINGS = [
    ("utf-8", SAMPLE.encode("utf-8"), "utf-8"),
    ("utf-8 BOM", SAMPLE.encode("utf-8-sig"), "utf-8-sig"),
    ("utf-16 LE BOM", b"\xff\xfe" + SAMPLE.encode("utf-16-le"), "utf-16"),
    ("utf-16 BE BOM", b"\xfe\xff" + SAMPLE.encode("utf-16-be"), "utf-16"),
    ("utf-32 LE BOM", b"\xff\xfe\x00\x00" + SAMPLE.encode("utf-32-le"), "utf-32"),
    ("utf-32 BE BOM", b"\x00\x00\xfe\xff" + SAMPLE.encode("utf-32-be"), "utf-32"),
    ("cp1252", SAMPLE.encode("cp1252"), "cp1252"),
]


@pytest.mark.parametrize(
    ("data", "encoding"), [e[1:] for e in ENCODINGS], ids=[e[0] for e in ENCODINGS]
)
def test_encodings_give_the_same_text(tmp_path: Path, data: bytes, encoding: str) -> None:
    article = load_article(write(tmp_path, "a.txt", data))
    assert article.text == SAMPLE.rstrip()
    assert article.encoding == encoding
    assert article.title == "Karsten Warholm beat Nordås — “quoted” – in 46.70 é"
    assert article.sha256 == hashlib.sha256(data).hexdigest()


def test_load_bytes_matches_load_article(tmp_path: Path) -> None:
    data = b"\xff\xfe" + SAMPLE.encode("utf-16-le")
    from_file = load_article(write(tmp_path, "a.txt", data))
    from_bytes = load_bytes(data, name="pasted.txt", suffix=".TXT")
    assert from_bytes == dataclasses.replace(from_file, source="pasted.txt")


def test_load_bytes_rejects_unknown_suffix() -> None:
    with pytest.raises(LoadError, match=r"^clip: unsupported file type '\.doc'$"):
        load_bytes(b"text", name="clip", suffix=".doc")


def test_undecodable_bytes_name_the_byte_and_offset(tmp_path: Path) -> None:
    # 0xE9 alone is not UTF-8; 0x81 is undefined even in cp1252.
    err = load_error(write(tmp_path, "bad.txt", b"Caf\xe9 \x81 bar"))
    assert err.reason == "cannot decode: not UTF-8, UTF-16 or cp1252 (byte 0x81 at offset 5)"


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe" + "Kerr".encode("utf-16-le") + b"\x00",  # odd length: truncated
        b"\xff\xfe" + b"\x00\xd8" + "Kerr".encode("utf-16-le"),  # unpaired high surrogate
        b"\xef\xbb\xbf" + b"Kerr \xff",  # UTF-8 BOM, then not UTF-8
    ],
    ids=["utf16-truncated", "utf16-lone-surrogate", "utf8-bom-invalid"],
)
def test_broken_unicode_after_a_bom_is_refused(tmp_path: Path, data: bytes) -> None:
    err = load_error(write(tmp_path, "bad.txt", data))
    assert err.reason.startswith("cannot decode as UTF-")
    assert "offset" in err.reason


def test_utf32_bom_lookalike_falls_back_to_utf16(tmp_path: Path) -> None:
    # FF FE 00 00 here is UTF-16 LE's BOM followed by U+0000, then ordinary UTF-16 text;
    # the NUL makes it look binary, which is what we want to say rather than "not UTF-32".
    data = b"\xff\xfe\x00\x00" + "Kerr won".encode("utf-16-le")
    assert load_error(write(tmp_path, "a.txt", data)).reason == "binary file, not text"


# --- refusing what is not an article ------------------------------------------------------------


PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06"


@pytest.mark.parametrize(
    "data",
    [
        PNG_HEADER + bytes(random.Random(1).randrange(256) for _ in range(2000)),
        b"Looks like text at first" + b"\x00" + b"then more text" * 10,
        bytes(random.Random(2).randrange(1, 32) for _ in range(500)) + b"a few letters" * 5,
    ],
    ids=["png", "nul-byte", "control-characters"],
)
@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_binary_files_are_refused(tmp_path: Path, data: bytes, suffix: str) -> None:
    assert load_error(write(tmp_path, "x" + suffix, data)).reason == "binary file, not text"


def test_tabs_and_form_feeds_are_not_binary(tmp_path: Path) -> None:
    data = b"Name\tTime\n\x0cKerr\t3:26.73\r\nNuguse\t3:27.80\n" * 20
    article = load_article(write(tmp_path, "results.txt", data))
    assert article.text.startswith("Name\tTime\n\x0cKerr\t3:26.73\nNuguse")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \r\n\t\n  ",
        b"\xef\xbb\xbf",
        b"\xff\xfe" + " \n ".encode("utf-16-le"),
        b"date 2025-09-12\n",
    ],
    ids=["zero-bytes", "whitespace", "bom-only", "utf16-whitespace", "date-header-only"],
)
def test_empty_files_are_refused(tmp_path: Path, data: bytes) -> None:
    assert load_error(write(tmp_path, "empty.txt", data)).reason == "empty file"


def test_oversize_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: takes no disk space
        fh.seek(MAX_FILE_BYTES + 1)
        fh.write(b"x")

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened despite its size")

    monkeypatch.setattr(Path, "open", no_reading)
    err = load_error(path)
    assert err.reason == "file is larger than the 20 MB limit (20.1 MB)"


def test_file_of_exactly_the_limit_is_not_refused_for_size(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        fh.write(b"Kerr won the final. " * (MAX_FILE_BYTES // 20))
    assert path.stat().st_size == MAX_FILE_BYTES
    assert load_article(path).title == "Kerr won the final"


def test_oversize_bytes_are_refused() -> None:
    with pytest.raises(LoadError, match=r"larger than the 20 MB limit"):
        load_bytes(b"a" * (MAX_FILE_BYTES + 1), name="big", suffix=".txt")


def test_unsupported_and_missing_paths(tmp_path: Path) -> None:
    png = write(tmp_path, "a.png", b"\x89PNG")
    assert load_error(png).reason == "unsupported file type '.png'"
    no_suffix = write(tmp_path, "README", b"x")
    assert load_error(no_suffix).reason == "unsupported file type (no extension)"
    assert load_error(tmp_path / "gone.txt").reason == "no such file or folder"
    (tmp_path / "folder.txt").mkdir()
    assert load_error(tmp_path / "folder.txt").reason == "is a folder, not a file"


def test_os_errors_carry_the_os_reason(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert load_error(loop).reason == os.strerror(errno.ELOOP)


def test_read_failure_after_stat_reports_the_os_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stands in for the real permission test below when the suite runs as root.
    path = write(tmp_path, "secret.txt", b"Kerr won.")

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(Path, "open", denied)
    assert load_error(path).reason == "Permission denied"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file_reports_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", b"Kerr won.")
    path.chmod(0)
    try:
        assert load_error(path).reason == "Permission denied"
    finally:
        path.chmod(0o644)


# --- normalisation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc\nd", "a\nb\nc\nd"),
        ("\ufeff\r\n\r\n  Indented first\r\nline two  \r\n\r\n", "  Indented first\nline two"),
        (
            "para one\n\n\npara two\n  indented\t \nend \t\n\n",
            "para one\n\n\npara two\n  indented\t \nend",
        ),
        ("Norda\u030as and e\u0301", "Nordås and é"),
        ("a\u2028b\u2029c", "a\nb\nc"),
        ("\n \t\n\ufeff\n\ufeffText", "Text"),
        ("", ""),
        (" \n\t ", ""),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_crlf_file_stores_only_newlines(tmp_path: Path) -> None:
    data = b"Kerr wins\r\n\r\nBody line\r\nmore\rlast\r\n"
    article = load_article(write(tmp_path, "a.txt", data))
    assert article.text == "Kerr wins\n\nBody line\nmore\nlast"


def test_normalise_is_idempotent() -> None:
    alphabet = [
        "a",
        "B",
        " ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\ufeff",
        "e\u0301",
        "\u0301",
        "\u030a",
        "\u00a0",
        "\u2028",
        "\u2029",
        "\u3000",
        "🏃\u200d♀\ufe0f",
        "Å",
        "\x0c",
        ".",
    ]
    rng = random.Random(20250912)
    for _ in range(3000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        once = normalise_text(raw)
        assert normalise_text(once) == once, repr(raw)
        assert "\r" not in once


def test_emoji_and_zwj_sequences_survive_unchanged(tmp_path: Path) -> None:
    line = "Faith Kipyegon 🏃\u200d♀\ufe0f 🇰🇪 ran 3:49.04 👍🏽 in Paris"
    text = f"{line}\n\nShe said: «Ça va» — 🏅🏅."
    article = load_article(write(tmp_path, "emoji.txt", text.encode("utf-8")))
    assert article.text == text
    assert article.title == line


# --- the date header --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        " date 2025-09-12 British runner Josh Kerr",
        "date 2025-09-12\nBritish runner Josh Kerr",
        "Date: 2025-09-12\r\n\r\nBritish runner Josh Kerr",
        "PUBLISHED: 2025-09-12 British runner Josh Kerr",
        "\n\n  published:2025-09-12  \nBritish runner Josh Kerr",
        "\ufeffDATE\t2025-09-12\tBritish runner Josh Kerr",
    ],
)
def test_date_header_sets_published_and_is_removed(raw: str) -> None:
    article = load_bytes(raw.encode("utf-8"), name="a.txt", suffix=".txt")
    assert article.published == dt.date(2025, 9, 12)
    assert article.text == "British runner Josh Kerr"


@pytest.mark.parametrize(
    "raw",
    [
        "date 2025-13-40 British runner",  # impossible date stays in the text
        "date 2025-02-29 British runner",  # not a leap year
        "Updated 2025-09-12 British runner",
        "date 2025-09-123 British runner",
        "date 2025-09-12T10:00 British runner",
        "British runner\ndate 2025-09-12",  # only the first line is a header
        "dated 2025-09-12 British runner",
    ],
)
def test_text_that_is_not_a_date_header_stays(raw: str) -> None:
    article = load_bytes(raw.encode("utf-8"), name="a.txt", suffix=".txt")
    assert article.published is None
    assert article.text == raw


# --- titles -----------------------------------------------------------------------------------


def test_long_first_line_gives_a_shortened_first_sentence() -> None:
    first = (
        "Jakob Ingebrigtsen of Norway, the Olympic 5000 metres champion, said on Tuesday in "
        "Oslo that he would race Josh Kerr over 1500 metres in Zurich. He did not."
    )
    article = load_bytes(f"{first}\n\nMore.".encode(), name="a.txt", suffix=".txt")
    assert article.title == (
        "Jakob Ingebrigtsen of Norway, the Olympic 5000 metres champion, said on Tuesday…"
    )
    assert len(article.title) == 80
    assert article.text.startswith(first)


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("Kerr wins in Oslo", "Kerr wins in Oslo"),
        ("x" * 150, "x" * 150),  # a headline of exactly the limit is kept
        ("Kerr won. Nuguse was second.", "Kerr won"),  # sentence, trailing period dropped
        ("Kerr won! Nuguse was second.", "Kerr won!"),
        # The shared sentence splitter: abbreviations and marks do not end the sentence.
        ("Mr. J. Kerr won. Nuguse was second.", "Mr. J. Kerr won"),
        ("Kerr ran 3:26.73. then he sat down.", "Kerr ran 3:26.73. then he sat down"),
        ("Here is what happened:", "Here is what happened"),
        ("Kerr " * 40, "Kerr " * 15 + "Kerr…"),  # long, no full stop: cut at a word
        ("y" * 200, "y" * 79 + "…"),  # one endless word
    ],
)
def test_title_rules(first_line: str, title: str) -> None:
    article = load_bytes(f"{first_line}\nBody text.".encode(), name="a.txt", suffix=".txt")
    assert article.title == title
    assert len(article.title) <= 150


@pytest.mark.parametrize("suffix", [".md", ".markdown"])
def test_markdown_title_is_the_first_atx_heading(tmp_path: Path, suffix: str) -> None:
    text = (
        "Intro before the heading.\n\n```\n# not a heading, code\n```\n\n"
        "## Kerr wins *again* at the [Bislett Games](https://x.org) ##\n\nBody text.\n\n"
        "# Later heading"
    )
    article = load_article(write(tmp_path, "a" + suffix, text.encode()))
    # Titled as the reader sees the heading: the view hides the markup too.
    assert article.title == "Kerr wins again at the Bislett Games"
    assert article.text == text  # markdown kept as written


def test_markdown_without_heading_falls_back_to_first_line(tmp_path: Path) -> None:
    text = "#hashtag is not a heading\n\nKerr won."
    assert load_article(write(tmp_path, "a.md", text.encode())).title == text.split("\n")[0]


# --- HTML -------------------------------------------------------------------------------------


PARAGRAPHS = [
    "Josh Kerr won the 1500 metres at the Prefontaine Classic in Eugene on Saturday, holding off "
    "a late charge from Yared Nuguse in the home straight.",
    "The Scot ran 3:45.34 in blustery conditions, a time that makes him one of the favourites for "
    "the Olympic final in Paris later this summer.",
    "Jakob Ingebrigtsen, who skipped the race to focus on the 5000 metres, watched from the stands "
    "and later said he had not been impressed by the pace.",
    "Kerr told reporters that the rivalry was good for the sport and that he expected a fast race "
    "whenever the two met again on the track.",
    "Their next meeting could come at the Bislett Games in Oslo, where Ingebrigtsen will run in "
    "front of a home crowd.",
]
BOILERPLATE = [
    "Results archive",
    "We use cookies",
    "SCRIPT-TEXT",
    "trackVisitor",
    "SuperShoe",
    "All rights reserved",
    "Sign up for our newsletter",
]


def race_page(*, head: str, charset: str = "utf-8", headline: str = "") -> str:
    paragraphs = "\n".join(f"      <p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="{charset}">
  {head}
  <link rel="canonical" href="https://athletics.example.com/news/kerr-eugene">
  <script>var msg = "SCRIPT-TEXT must never reach the article"; trackVisitor(msg);</script>
  <style>body {{ font-family: sans-serif; }}</style>
</head>
<body>
  <header>
    <nav class="main-menu"><ul>
      <li><a href="/">Home</a></li><li><a href="/news">News</a></li>
      <li><a href="/results">Results archive</a></li><li><a href="/shop">Shop</a></li>
    </ul></nav>
  </header>
  <div id="cookie-banner" class="cookie-consent">
    We use cookies to improve your experience. <button>Accept all cookies</button>
  </div>
  <main>
    <article>
{headline}
{paragraphs}
    </article>
    <aside class="advert sponsored">Advertisement: the new SuperShoe 3000, only 199 euros!
      <img src="https://ads.example.com/pixel.gif"></aside>
    <div class="newsletter">Sign up for our newsletter</div>
  </main>
  <footer><p>© 2024 Athletics Daily. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
  <script src="https://cdn.example.com/app.js"></script>
</body>
</html>
"""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the loader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_html_article_text_without_boilerplate(tmp_path: Path, no_network: None) -> None:
    head = """<title>Kerr wins 1500m | Athletics Daily</title>
  <meta property="og:title" content="Kerr holds off Nuguse in Eugene">
  <meta property="article:published_time" content="2024-05-25T10:00:00Z">"""
    data = race_page(head=head, headline="<h1>Kerr holds off Nuguse in Eugene</h1>").encode()
    article = load_article(write(tmp_path, "race.html", data))
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    for junk in BOILERPLATE:
        assert junk not in article.text, junk
    assert article.published == dt.date(2024, 5, 25)
    assert article.title == "Kerr holds off Nuguse in Eugene"
    assert article.encoding == "html"
    assert article.sha256 == hashlib.sha256(data).hexdigest()
    assert normalise_text(article.text) == article.text


def test_html_title_from_title_element_and_no_date(tmp_path: Path, no_network: None) -> None:
    data = race_page(head="<title>Kerr wins the 1500m in Eugene</title>").encode("utf-8")
    article = load_article(write(tmp_path, "race.HTM", data))
    assert article.title == "Kerr wins the 1500m in Eugene"
    assert article.published is None
    assert PARAGRAPHS[0] in article.text


def test_html_declared_legacy_charset_is_honoured(tmp_path: Path, no_network: None) -> None:
    page = race_page(head="<title>Nordås wins a “quoted” race</title>", charset="windows-1252")
    page = page.replace("Jakob Ingebrigtsen, who", "Jakob Ingebrigtsen and Nordås — “quoted” — who")
    article = load_article(write(tmp_path, "race.html", page.encode("cp1252")))
    assert article.title == "Nordås wins a “quoted” race"
    assert "Jakob Ingebrigtsen and Nordås — “quoted” — who" in article.text


def test_html_without_article_text_is_refused(tmp_path: Path, no_network: None) -> None:
    page = """<html><head><title>Menu</title><script>var x = "only a script";</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav></body></html>"""
    err = load_error(write(tmp_path, "menu.html", page.encode()))
    assert err.reason == "no article text found in the HTML"


# --- walking folders --------------------------------------------------------------------------


def test_iter_article_paths_walks_folders_in_order(tmp_path: Path) -> None:
    root = tmp_path / "batch"
    for name in [
        "b.txt",
        "a.md",
        "Z.markdown",
        "sub/c.HTML",
        "sub/deeper/d.htm",
        "sub/report.png",
        ".hidden.txt",
        ".git/config.txt",
        "sub/.cache/x.txt",
    ]:
        write(root, name, b"Kerr won.")
    loose = write(tmp_path, "loose.TXT", b"Kerr won.")
    notes = write(tmp_path, "notes.png", b"\x89PNG")
    missing = tmp_path / "missing"

    got = list(iter_article_paths([root, str(loose), notes, str(missing)]))

    paths = [x for x in got if isinstance(x, Path)]
    errors = [(e.path, e.reason) for e in got if isinstance(e, LoadError)]
    assert paths == [
        root / "Z.markdown",
        root / "a.md",
        root / "b.txt",
        root / "sub/c.HTML",
        root / "sub/deeper/d.htm",
        loose,
    ]
    assert errors == [
        (str(root / "sub/report.png"), "not an article type"),
        (str(notes), "unsupported file type '.png'"),
        (str(missing), "no such file or folder"),
    ]
    # Errors come where the file is, so a progress list can show them in place.
    assert isinstance(got[5], LoadError) and got[5].path.endswith("report.png")


def test_iter_article_paths_does_not_follow_folder_links(tmp_path: Path) -> None:
    write(tmp_path, "a/x.txt", b"Kerr won.")
    (tmp_path / "a" / "up").symlink_to(tmp_path, target_is_directory=True)
    got = list(iter_article_paths([tmp_path / "a"]))
    assert len(got) == 2
    assert isinstance(got[0], LoadError)  # the link itself, listed as a file without a suffix
    assert got[0].path == str(tmp_path / "a" / "up")
    assert got[1] == tmp_path / "a" / "x.txt"


# --- small contracts --------------------------------------------------------------------------


def test_load_error_shape_and_pickling() -> None:
    err = LoadError("dir/a.txt", "empty file")
    assert isinstance(err, ValueError)
    assert str(err) == "dir/a.txt: empty file"
    assert (err.path, err.reason) == ("dir/a.txt", "empty file")
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.path, copy.reason, str(copy)) == (err.path, err.reason, str(err))


def test_loaded_article_is_frozen(tmp_path: Path) -> None:
    article = load_article(write(tmp_path, "a.txt", b"Kerr won."))
    assert isinstance(article, LoadedArticle)
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.title = "other"  # type: ignore[misc]


def test_core_loader_imports_neither_qt_nor_sqlalchemy() -> None:
    code = (
        "import sys, annotator.core.textload, annotator.core.htmltext\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy'))\n"
        "assert not bad, bad\n"
    )
    repo = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=repo)
