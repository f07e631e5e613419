"""Long work (import, export) off the GUI thread, behind a cancellable progress dialog.

A service call runs in a ``TaskThread`` with a ``Reporter`` whose progress becomes a signal
and whose cancel reads a flag the Cancel button sets. The service raises ``Cancelled`` at its
next step; what it committed before stays, and it never leaves half a document.

``BackgroundTask`` owns the thread and the dialog. Its outcome signals (``succeeded``,
``failed``, ``cancelled``, then always ``finished``) are emitted only after the thread has
been joined, so whoever reacts to them may tear widgets down safely.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.core.errors import DatabaseError
from annotator.services.progress import Cancelled, Reporter

log = logging.getLogger(__name__)

#: Progress signals are throttled: a fast import reports thousands of files a second, and
#: each queued signal costs the GUI thread a repaint.
PROGRESS_INTERVAL_S = 0.05

Job = Callable[[Reporter], object]


class TaskThread(QThread):
    """Runs ``job(reporter)`` once. Signals are emitted from the worker thread; Qt queues them
    to receivers living in the GUI thread."""

    progressed = Signal(int, int, str)  # done, total, what (a file name)

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self.result: object = None
        self.error: str | None = None
        self.was_cancelled = False

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if done in (0, total) or now - self._last_emit >= PROGRESS_INTERVAL_S:
            self._last_emit = now
            self.progressed.emit(done, total, what)

    def run(self) -> None:
        reporter = Reporter(progress=self._progress, cancel=self._cancel.is_set)
        try:
            self.result = self._job(reporter)
        except Cancelled:
            self.was_cancelled = True
        except (DatabaseError, OSError, ValueError) as exc:
            # Problems the user can act on (disk full, file locked, a bad choice).
            log.info("background task failed: %s", exc)
            self.error = str(exc)
        except Exception as exc:  # a bug: keep the traceback in the log, not on screen
            log.exception("background task crashed")
            self.error = f"Unexpected error ({type(exc).__name__}): {exc}"


class BackgroundTask(QObject):
    succeeded = Signal(object)  # the job's return value
    failed = Signal(str)  # a message for the user
    cancelled = Signal()
    finished = Signal()  # after any of the above; the thread is joined by then

    def __init__(
        self,
        job: Job,
        *,
        title: str,
        parent: QWidget,
        verb: str = "Working on",
    ) -> None:
        super().__init__(parent)
        self._title = title
        self._verb = verb
        self._thread = TaskThread(job)
        self._thread.progressed.connect(self._on_progress)
        self._thread.finished.connect(self._on_thread_finished)
        self._dialog = QProgressDialog(f"{title}…", "Cancel", 0, 0, parent)
        self._dialog.setObjectName("progressDialog")
        self._dialog.setWindowTitle(title)
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(0)
        # The dialog must not hide or reset itself on reaching the maximum: the thread decides
        # when the work is over.
        self._dialog.setAutoClose(False)
        self._dialog.setAutoReset(False)
        self._dialog.setMinimumWidth(420)
        self._dialog.canceled.connect(self.cancel)
        self._running = False
        self._done = False

    @property
    def worker(self) -> TaskThread:
        return self._thread

    @property
    def dialog(self) -> QProgressDialog:
        return self._dialog

    def is_running(self) -> bool:
        return self._running

    def start(self) -> None:
        self._running = True
        self._dialog.show()
        self._thread.start()

    def cancel(self) -> None:
        if self._running:
            self._thread.cancel()
            self._dialog.setLabelText("Cancelling… (the current file is finished first)")

    def wait(self) -> None:
        """Cancel and join the thread (the window closing); outcome signals still follow."""
        if self._running:
            self._thread.cancel()
            self._thread.wait()
            self._on_thread_finished()

    def _on_progress(self, done: int, total: int, what: str) -> None:
        if self._done or self._thread.is_cancel_requested():
            return
        if total:
            self._dialog.setMaximum(total)
            self._dialog.setValue(min(done, total))
        if what:
            name = Path(what).name or what
            counter = f" ({min(done + 1, total)} of {total})" if total else ""
            self._dialog.setLabelText(f"{self._verb} {name}{counter}")

    def _on_thread_finished(self) -> None:
        if self._done:
            return
        self._done = True
        self._thread.wait()
        self._running = False
        # reset() also stops the dialog's pending "show after minimumDuration" timer, which
        # would otherwise bring a finished task's dialog back.
        self._dialog.reset()
        self._dialog.hide()
        self._dialog.deleteLater()
        thread = self._thread
        if thread.was_cancelled:
            self.cancelled.emit()
        elif thread.error is not None:
            self.failed.emit(thread.error)
        else:
            self.succeeded.emit(thread.result)
        self.finished.emit()
