"""How long-running services report progress and learn that the user cancelled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: progress(done, total, what): total may be 0 when unknown.
ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled; whatever was committed before stays, nothing half-done is left.

    ``partial`` carries the service's report of what was done before the cancel, if any."""

    def __init__(self, partial: object | None = None) -> None:
        super().__init__("cancelled")
        self.partial = partial


@dataclass
class Reporter:
    progress: ProgressFn | None = None
    cancel: CancelFn | None = None

    def step(self, done: int, total: int, what: str = "") -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled()
        if self.progress is not None:
            self.progress(done, total, what)
