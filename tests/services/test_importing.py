from pathlib import Path

import pytest
from sqlalchemy import func, select

from annotator.core.textload import load_article
from annotator.services.importing import import_paths
from annotator.services.progress import Cancelled, Reporter
from annotator.store.models import DocumentRow

REPO = Path(__file__).resolve().parents[2]


def _count(app) -> int:
    with app.db.sessions() as session:
        return session.scalar(select(func.count(DocumentRow.id)))


def test_every_seed_article_imports_with_its_text_intact(app, seeds_dir):
    files = sorted(seeds_dir.glob("*.txt"))
    report = import_paths(app.db, [seeds_dir])
    assert not report.errors
    assert len(report.imported) == len(files) == 5
    for doc_id, source in report.imported:
        doc = app.documents.get(doc_id)
        assert doc.text == load_article(source).text
        assert doc.title
        assert "\r" not in doc.text
    first = app.documents.get(report.imported[0][0])
    assert first.published.isoformat() == "2025-09-12"
    assert first.text.startswith("British runner Josh Kerr")


def test_the_bundled_samples_import(app):
    report = import_paths(app.db, [REPO / "resources" / "samples"])
    assert not report.errors
    assert len(report.imported) == 3
    titles = {app.documents.info(i).title for i, _ in report.imported}
    assert "Kerr and Ingebrigtsen renew their rivalry in the Bowerman Mile" in titles


def test_importing_the_same_file_twice_does_not_duplicate_it(app, tmp_path):
    article = tmp_path / "kerr.txt"
    article.write_text("Josh Kerr won the world 1500m title in Budapest.", encoding="utf-8")
    copy = tmp_path / "copy" / "kerr-again.txt"
    copy.parent.mkdir()
    copy.write_bytes(article.read_bytes())
    first = import_paths(app.db, [article])
    second = import_paths(app.db, [article, copy])
    assert len(first.imported) == 1
    assert second.imported == []
    assert sorted(second.duplicates) == sorted([str(article), str(copy)])
    assert _count(app) == 1


def test_bad_files_are_reported_and_the_rest_of_the_batch_imports(app, tmp_path):
    tmp_path = tmp_path / "batch"
    tmp_path.mkdir()
    (tmp_path / "good.txt").write_text("Faith Kipyegon won again.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "broken.txt").write_bytes(b"caf\xc3 \x81\x8d")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    report = import_paths(app.db, [tmp_path])
    assert [Path(source).name for _, source in report.imported] == ["good.txt"]
    reasons = {Path(e.path).name: e.reason for e in report.errors}
    assert set(reasons) == {"empty.txt", "image.txt", "broken.txt"}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["image.txt"]
    assert "decode" in reasons["broken.txt"]
    # A folder holds more than articles: other file types are passed over, not failures.
    assert [(Path(p.path).name, p.reason) for p in report.passed_over] == [
        ("photo.png", "not an article type")
    ]
    assert _count(app) == 1
    assert report.summary() == "1 imported, 1 other files passed over, 3 failed"


def test_an_unsupported_file_named_explicitly_is_a_failure(app, tmp_path):
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n")
    report = import_paths(app.db, [png])
    assert [(e.path, e.reason) for e in report.errors] == [
        (str(png), "unsupported file type '.png'")
    ]
    assert report.passed_over == []


def test_cancelling_keeps_whole_files_only(app, tmp_path):
    tmp_path = tmp_path / "batch"
    tmp_path.mkdir()
    for n in range(10):
        (tmp_path / f"a{n:02}.txt").write_text(f"Article number {n} about Kerr.", encoding="utf-8")
    seen: list[int] = []

    def progress(done: int, total: int, what: str) -> None:
        seen.append(done)

    reporter = Reporter(progress=progress, cancel=lambda: len(seen) >= 4)
    with pytest.raises(Cancelled) as info:
        import_paths(app.db, [tmp_path], reporter=reporter)
    partial = info.value.partial
    assert len(partial.imported) == 4
    assert _count(app) == 4
    for doc_id, source in partial.imported:
        assert app.documents.get(doc_id).text == Path(source).read_text(encoding="utf-8")


def test_a_cancelled_mixed_import_reports_the_articles_it_kept(app, tmp_path):
    # import_any (the CLI's and the window's entry) passes the article import's partial
    # report on: what was stored before the cancel is named, not lost.
    from annotator.services.dataset_import import import_any

    folder = tmp_path / "batch"
    folder.mkdir()
    for n in range(6):
        (folder / f"a{n:02}.txt").write_text(f"Article number {n} about Kerr.", encoding="utf-8")
    seen: list[int] = []
    reporter = Reporter(progress=lambda done, total, what: seen.append(done),
                        cancel=lambda: len(seen) >= 3)  # fmt: skip
    with pytest.raises(Cancelled) as info:
        import_any(app.db, [folder], reporter=reporter)
    partial = info.value.partial
    assert partial is not None and len(partial.imported) == _count(app) > 0
