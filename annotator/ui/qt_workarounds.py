"""Workarounds for defects in the Qt binding, each detected at run time, never assumed.

PySide6 6.12.0 on CPython 3.11 hands back ``None`` from every void C++ method without taking
a reference for it: each ``setObjectName``, ``setPosition`` or ``setTextCursor`` call leaves
None's reference count one lower. From Python 3.12 on, None is immortal and that is harmless;
on 3.11 the count reaches zero after a few thousand calls (seconds of scrolling through an
article) and the interpreter aborts with "Fatal Python error: none_dealloc". The real fix is a
Python >= 3.12 or a binding without the defect; until then we give None what 3.12 gives it.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

# Far more void calls than a process can make in its lifetime, yet nowhere near overflow.
_BALLAST = 1 << 48
_PROBE_CALLS = 16
_applied = False


def none_refcount_leak() -> int:
    """How many references to None one void PySide6 call loses (0 on a healthy binding)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    return max(0, lost // _PROBE_CALLS)


def guard_none_refcount() -> bool:
    """Make None effectively immortal if (and only if) the binding leaks its references.

    Returns whether the guard was applied by this call.
    """
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    leak = none_refcount_leak()
    if not leak:
        return False
    # ob_refcnt is the first field of every object in a release build of CPython 3.11.
    refcount = ctypes.c_ssize_t.from_address(id(None))
    refcount.value += _BALLAST + leak * _PROBE_CALLS
    _applied = True
    from PySide6 import __version__ as pyside_version

    log.warning(
        "PySide6 %s loses a reference to None on every void call under Python %d.%d; "
        "None was made immortal to avoid a crash (use Python >= 3.12 or another PySide6)",
        pyside_version,
        *sys.version_info[:2],
    )
    return True
