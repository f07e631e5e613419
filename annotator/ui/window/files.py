"""The window's file work: importing articles, exporting the dataset, opening a database.

Import and export run in a ``BackgroundTask`` (one at a time); opening another database swaps
the window's ``App`` and drops the undo history, whose commands point at the old database.
The ``start_*`` and ``open_database`` methods take explicit paths, so tests and the command
line drive exactly what the menu actions do, minus the file dialogs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox

from annotator.core.errors import DatabaseError
from annotator.core.webfetch import is_address
from annotator.services.app import App, is_sqlite, open_app, url_without_password
from annotator.services.dataset_import import import_any
from annotator.services.exporting import export_dataset, known_layers
from annotator.services.importing import ImportReport
from annotator.ui.dialogs.export_and_help import PENDING_HINT, ExportDialog, open_message
from annotator.ui.window.workers import BackgroundTask

if TYPE_CHECKING:
    from annotator.services.exporting import ExportReport
    from annotator.ui.window.hosts import FilesHost

log = logging.getLogger(__name__)

ARTICLE_FILTER = (
    "Articles and datasets (*.txt *.md *.markdown *.html *.htm *.pdf *.docx *.odt *.jsonl "
    "*.ndjson *.json *.ann "
    "*.zip *.xmi);;"
    "Articles (*.txt *.md *.markdown *.html *.htm *.pdf *.docx *.odt);;"
    "Datasets: annotator/doccano JSONL, Label Studio JSON, brat, INCEpTION XMI zip "
    "(*.jsonl *.ndjson *.json *.ann *.zip *.xmi);;"
    "All files (*)"
)
DATABASE_FILTER = "Annotator databases (*.sqlite3 *.sqlite *.db);;All files (*)"
_MAX_LISTED_ERRORS = 200


class WindowFiles(QObject):
    importFinished = Signal(object)  # ImportReport, or None when cancelled or failed
    exportFinished = Signal(object)  # ExportReport, or None
    #: Emitted just before a task's thread starts, so a listener can connect to its signals
    #: before the first one is emitted.
    taskStarting = Signal(object)  # BackgroundTask

    def __init__(self, window: FilesHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self.task: BackgroundTask | None = None
        # Apps opened here (File ▸ Open database…) are closed here; the one the window was
        # built with belongs to whoever built it.
        self._owned: list[App] = []

    @staticmethod
    def database_setting(app: App) -> str:
        """What "lastDatabase" remembers: a file path for SQLite, the URL otherwise, never
        with a password."""
        url = app.db.url
        return app.db.description if is_sqlite(url) else url_without_password(url)

    def busy(self) -> bool:
        if self.task is not None and self.task.is_running():
            self._window.show_message(
                "Wait for the current task (import, export or suggestions) to finish"
            )
            return True
        return False

    def _folder(self) -> str:
        folder = self._window.settings.value("lastFolder")
        if isinstance(folder, str) and Path(folder).is_dir():
            return folder
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation)

    def _remember_folder(self, path: Path) -> None:
        self._window.settings.setValue("lastFolder", str(path if path.is_dir() else path.parent))

    # -- opening a database -------------------------------------------------------------------

    def choose_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._window.window(),
            "Open or create a database",
            self._folder(),
            DATABASE_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.open_database(path)

    def open_database(self, path: str | Path, *, password: str | None = None) -> bool:
        """Switch to another database. On a DatabaseError the current one stays open and the
        user gets the reason."""
        if self.busy():
            return False
        error = self.try_open_database(path, password=password)
        if error:
            self._window.show_error("Cannot open the database", error)
        return error is None

    def try_open_database(self, path: str | Path, *, password: str | None = None) -> str | None:
        """``open_database`` without the message box: None when switched, else why not (for
        the connect dialog, which shows it over itself). ``password`` (for a server whose
        URL carries none) goes to the engine only: never to a setting, a log or a message."""
        if self.busy():
            return "wait for the current task (import, export or suggestions) to finish"
        window = self._window
        old = window.app
        try:
            # The same person on the other database: the name is the user's, not the file's.
            new = open_app(path, tagset=old.tagset, annotator=old.user, password=password)
        except DatabaseError as exc:
            return str(exc)
        window.switch_app(new)
        window.settings.setValue("lastDatabase", self.database_setting(new))
        if old in self._owned:
            self._owned.remove(old)
            old.close()
        self._owned.append(new)
        window.show_message(f"Opened {new.db.description}")
        log.info("switched to database %s", new.db.description)
        return None

    # -- import -------------------------------------------------------------------------------

    def choose_files_to_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self._window.window(), "Open articles or datasets", self._folder(), ARTICLE_FILTER
        )
        if paths:
            self._remember_folder(Path(paths[0]))
            self.start_import([Path(p) for p in paths])

    def choose_folder_to_import(self) -> None:
        folder = QFileDialog.getExistingDirectory(self._window.window(), "Import a folder",
                                                  self._folder())  # fmt: skip
        if folder:
            self._remember_folder(Path(folder))
            self.start_import([Path(folder)])

    def choose_address(self) -> None:
        """File ▸ Open address…: an address copied from the browser is offered as it is."""
        copied = QGuiApplication.clipboard().text().strip()
        address, ok = QInputDialog.getText(
            self._window.window(), "Open address", "Address of the web page (http or https):",
            QLineEdit.EchoMode.Normal, copied if is_address(copied) else "https://",
        )  # fmt: skip
        if ok and address.strip() not in ("", "https://", "http://"):
            self.open_address(address)

    def open_address(self, address: str) -> BackgroundTask | None:
        """Fetch the page off the GUI thread and import it like a file; a failure is told in
        one line ("the server answered 404 Not Found")."""
        address = address.strip()
        if not is_address(address):
            self._window.show_error("Cannot open the address",
                                    f"{address!r} is not a web address (https://…)")  # fmt: skip
            return None
        return self.start_import([address], address=address)

    def start_import(
        self, paths: Sequence[Path | str], *, open_first: bool = True, address: str | None = None
    ) -> BackgroundTask | None:
        if self.busy():
            return None
        window = self._window
        db = window.app.db
        # An address stays a string: Path() would fold its "//".
        wanted = [p if isinstance(p, str) and is_address(p) else Path(p) for p in paths]
        count_before = window.app.documents.count()
        task = BackgroundTask(
            lambda reporter: import_any(db, wanted, reporter=reporter),
            title="Fetching the page" if address else "Importing articles",
            verb="Fetching" if address else "Importing",
            parent=window.window(),
        )
        task.succeeded.connect(
            lambda report: self._imported(report, open_first=open_first, address=address)
        )
        task.cancelled.connect(lambda: self._import_cancelled(count_before))
        task.failed.connect(lambda message: self._task_failed("Import failed", message, True))
        return self.start_task(task)

    def _imported(self, report: ImportReport, *, open_first: bool,
                  address: str | None = None) -> None:  # fmt: skip
        window = self._window
        # Spans merged into documents already stored may be in the open one.
        changed = None if report.merged_spans else [doc_id for doc_id, _ in report.imported]
        window.editor.notifier.documentsChanged.emit(changed)
        window.show_message(f"Import finished: {report.summary()}")
        if address and report.errors:
            reason = report.errors[0].reason
            window.show_error("Cannot open the address", f"{address}: {reason}")
            window.show_message(f"Cannot open {address}: {reason}")
        elif address and report.duplicates:
            window.show_message(f"{address} is already in the database (the same page)")
        elif report.errors:
            listed = report.errors[:_MAX_LISTED_ERRORS]
            more = len(report.errors) - len(listed)
            detail = "\n".join([*(f"skipped {e.path}: {e.reason}" for e in listed),
                                *report.notes])  # fmt: skip
            if more:
                detail += f"\n… and {more} more"
            # Named as the command line names them, after the failures that matter more.
            detail += "".join(f"\npassed over {p.path}: {p.reason}"
                              for p in report.passed_over[:_MAX_LISTED_ERRORS])  # fmt: skip
            window.show_error(
                "Some files were not imported",
                f"{report.summary()}.\nThe details list each file that failed and why.",
                detail=detail,
            )
        elif report.notes:
            window.last_message_box = open_message(
                window.window(),
                "Import finished, with notes",
                f"{report.summary()}.\n" + "\n".join(report.notes),
                icon=QMessageBox.Icon.Information,
            )
        if open_first and report.first_id is not None:
            window.open_document(report.first_id)
        self.importFinished.emit(report)

    def _import_cancelled(self, count_before: int) -> None:
        window = self._window
        window.editor.notifier.documentsChanged.emit(None)
        kept = window.app.documents.count() - count_before
        if kept:
            noun = "document" if kept == 1 else "documents"
            window.show_message(f"Import cancelled: the {kept} {noun} imported before were kept")
        else:
            window.show_message("Import cancelled: nothing was imported")
        self.importFinished.emit(None)

    # -- export -------------------------------------------------------------------------------

    def choose_export(self, documents: Sequence[int] = ()) -> None:
        """The export dialog, then a file name; ``documents``: those chosen in the list."""
        window = self._window
        try:
            layers = known_layers(window.app.db)
        except DatabaseError as exc:
            window.show_message(f"Cannot export: {exc}")
            return
        dialog = ExportDialog(
            window.app.tagset,
            window.window(),
            current_document=window.current_document_id(),
            layers=layers,
            chosen=documents,
            settings=window.settings,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        options = dialog.options()
        suffix = options.suffix
        if suffix:
            suggested = str(Path(self._folder()) / f"annotations{suffix}")
            kind = "PDF" if options.pdf else options.format
            path, _ = QFileDialog.getSaveFileName(
                window.window(), "Export dataset", suggested, f"{kind} (*{suffix})"
            )
        else:
            # A folder format: the name typed becomes a new folder (or replaces an earlier
            # export of the same kind; a folder of other files is refused with a message).
            suggested = str(Path(self._folder()) / f"annotations-{options.format}")
            path, _ = QFileDialog.getSaveFileName(
                window.window(), "Export dataset to a new folder", suggested, "Folder (*)"
            )
        if not path:
            return
        out = Path(path)
        if suffix and out.suffix.lower() != suffix:
            out = out.with_name(f"{out.name}{suffix}")
        self._remember_folder(out)
        self.start_export(
            out=out,
            format=options.format,
            include_pending=options.include_pending,
            labels=options.labels,
            documents=options.documents,
            pdf=options.pdf,
            layer=options.layer,
            publisher=options.publisher,
            publisher_url=options.publisher_url,
            review_url=options.review_url,
        )

    def start_export(
        self,
        *,
        out: Path,
        format: str,
        include_pending: bool = False,
        labels: Sequence[str] | None = None,
        documents: Sequence[int] | None = None,
        pdf: bool = False,
        layer: str | None = None,
        publisher: str | None = None,
        publisher_url: str | None = None,
        review_url: str | None = None,
    ) -> BackgroundTask | None:
        if self.busy():
            return None
        app = self._window.app
        options = dict(
            include_pending=include_pending,
            labels=list(labels) if labels is not None else None,
            documents=list(documents) if documents is not None else None,
            tagset=app.tagset,
            layer=layer,
        )

        def work(reporter):
            if pdf:
                from annotator.ui.report_pdf import export_report_pdf

                return export_report_pdf(app.db, out, reporter=reporter, **options)
            return export_dataset(
                app.db,
                out,
                format=format,
                reporter=reporter,
                publisher=publisher,
                publisher_url=publisher_url,
                review_url=review_url,
                **options,
            )

        task = BackgroundTask(
            work,
            title="Exporting dataset",
            verb="Exporting",
            parent=self._window.window(),
        )
        task.succeeded.connect(self._exported)
        task.cancelled.connect(lambda: self._export_cancelled(out))
        task.failed.connect(lambda message: self._task_failed("Export failed", message, False))
        return self.start_task(task)

    def _exported(self, report: ExportReport) -> None:
        window = self._window
        done = f"Exported {report.documents} documents and {report.spans} spans to {report.path}"
        pending = report.pending_notice(PENDING_HINT)
        window.show_message(f"{done}; {pending}" if pending else done)
        if pending and not report.notes:
            window.last_message_box = open_message(
                window.window(),
                "Export finished",
                f"{done}.\n{pending}.",
                icon=QMessageBox.Icon.Information,
            )
        elif report.notes:
            listed = report.notes[:_MAX_LISTED_ERRORS]
            more = len(report.notes) - len(listed)
            detail = "\n".join(listed) + (f"\n… and {more} more" if more else "")
            noun = "thing" if len(report.notes) == 1 else "things"
            window.last_message_box = open_message(
                window.window(),
                "Export finished, with notes",
                f"{done}.\n{len(report.notes)} {noun} could not be written as they are in "
                "the database; the details list each one." + (f"\n{pending}." if pending else ""),
                detail=detail,
                icon=QMessageBox.Icon.Information,
            )
        self.exportFinished.emit(report)

    def _export_cancelled(self, out: Path) -> None:
        self._window.show_message(f"Export cancelled: {out} was left as it was")
        self.exportFinished.emit(None)

    # -- shared -------------------------------------------------------------------------------

    def start_task(self, task: BackgroundTask) -> BackgroundTask:
        """Run ``task`` in the window's one task slot (``busy()`` tells whether it is free);
        a closing window joins it."""
        self.task = task
        task.finished.connect(self._task_finished)
        self.taskStarting.emit(task)
        task.start()
        return task

    def _task_failed(self, title: str, message: str, importing: bool) -> None:
        self._window.show_error(title, message)
        self._window.show_message(f"{title}: {message}")
        if importing:
            self._window.editor.notifier.documentsChanged.emit(None)
            # The articles were not stored: the saved-state label must not say otherwise.
            self._window.saved_label.mark_failed(f"import failed: {message}")
            self.importFinished.emit(None)
        else:
            self.exportFinished.emit(None)

    def _task_finished(self) -> None:
        task, self.task = self.task, None
        if task is not None:
            task.deleteLater()

    def shutdown(self) -> None:
        """The window is closing: join any running thread, then close the databases opened
        here (a worker must never outlive the connection it writes through)."""
        if self.task is not None:
            self.task.wait()
        for app in self._owned:
            app.close()
        self._owned.clear()
