"""A time limit for work in a thread other than the main one (the preview's builds).

SIGALRM, which the command line's build uses, reaches only the main thread.
Here a timer asks Python to raise an exception in the working thread
(PyThreadState_SetAsyncExc): it is raised at the next line of Python the
thread runs, which in a layout is never far (WeasyPrint is Python; the time in
Pango or HarfBuzz between two lines is short). A request that comes after the
work ended is withdrawn, so it never lands in code that did not ask for it.

The work must not start threads of its own: while a thread starts, Python
gives it its parent's id for a moment, and the exception could land there.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
import time
from collections.abc import Iterator

#: The build's default time limit (the command line's --timeout).
DEFAULT_SECONDS = 300.0


class Expired(BaseException):
    """The work ran out of time: a BaseException, so that no ``except Exception`` swallows it."""


class Stopped(BaseException):
    """The work was stopped from outside (the preview closing)."""


def message(seconds: float) -> str:
    return (
        f"took longer than {seconds:g} s and was stopped; look for a text or a style "
        "that makes the layout run away, or allow more time with --timeout"
    )


class Watch:
    """The thread running a piece of work, which another thread may stop (interrupt())."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: int | None = None
        self._pending = False

    @contextlib.contextmanager
    def running(self, seconds: float) -> Iterator[None]:
        """Run the block in this thread; after ``seconds`` (0: no limit) it raises Expired."""
        # The timer's thread is started before this one may be interrupted:
        # while a thread starts, Python may briefly give it its parent's id.
        timer = threading.Timer(seconds, self.interrupt, args=(Expired,)) if seconds > 0 else None
        if timer:
            timer.daemon = True
            timer.start()
        with self._lock:
            self._thread = threading.get_ident()
        try:
            yield
        finally:
            # An interruption may still land while leaving: leave again (the
            # work is over, so it has nothing left to stop).
            while True:
                try:
                    self._leave(timer)
                    break
                except (Expired, Stopped):
                    continue

    def _leave(self, timer: threading.Timer | None) -> None:
        if timer:
            timer.cancel()
        with self._lock:
            if self._pending:  # asked for but not raised yet: withdraw it
                _raise_in(self._thread, None)
            self._thread = None
            self._pending = False

    def interrupt(self, kind: type[BaseException] = Stopped) -> bool:
        """Raise ``kind`` in the thread running the block, if one is; whether one was."""
        with self._lock:
            if self._thread is None:
                return False
            self._pending = _raise_in(self._thread, kind)
            return self._pending


def _raise_in(thread: int | None, kind: type[BaseException] | None) -> bool:
    """Ask ``thread`` to raise ``kind`` (None: withdraw the request); whether exactly that thread was asked."""
    if thread is None:
        return False
    set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    exception = ctypes.py_object(kind) if kind is not None else ctypes.c_void_p(0)
    for _attempt in range(100):
        asked = set_async(ctypes.c_ulong(thread), exception)
        if asked <= 1 or kind is None:
            return asked == 1
        # Two threads with one id (one just starting, as a thread does while
        # it starts): withdraw from both, as Python's documentation says, and
        # ask again once the new thread has its own id.
        set_async(ctypes.c_ulong(thread), ctypes.c_void_p(0))
        time.sleep(0.01)
    return False
