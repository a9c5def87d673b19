"""The provider host process: make sure the engine's SIGINT stops it, whichever thread gets it,
and that it ends promptly once its sessions are logged out.

The engine stops a provider by sending SIGINT to its process group, then kills it 5 s later
(``TerminateProcessGroup`` in the Pulumi SDK's ``cmdutil``). The Python host
(``pulumi.dynamic.__main__``) waits for that signal in ``Event().wait()`` on its main thread and
exits on the ``KeyboardInterrupt``; the exit runs ``atexit``, which logs the session out.

The kernel delivers a process-directed signal to the main thread only when that thread "wants"
it (Linux ``complete_signal``): when it does not (it already has a signal pending, or is being
traced), any other thread of the process gets it: a gRPC worker, or one of gRPC's own C threads.
CPython then only marks the signal as tripped; its handler runs on the main thread, which stays
blocked in ``Event().wait()`` and never notices. The engine kills the process 5 s later: the
command takes 5 s longer and the session stays open (seen a few times in several hundred
benchmark provider processes; reproduced at will by sending SIGINT to a non-main thread with
``tgkill``).

:func:`forward_stray_interrupts` closes that gap without knowing where the signal went: a
daemon thread nudges the main thread every :data:`NUDGE_INTERVAL` while it waits, with a signal
that only interrupts its wait (``pthread_kill``; the handler is :mod:`faulthandler`'s, the only
C handler Python can install from a thread other than the main one, dumping the main thread's
own stack to ``/dev/null``). Woken, the main thread runs the handlers of the signals tripped
meanwhile: a SIGINT raises its KeyboardInterrupt, anything else and it waits again.

Nothing here may walk other threads' stacks from a signal handler: an earlier version had
faulthandler dump *every* thread on SIGINT to find the one that received it, and that dump reads
thread states without a lock. A thread ending meanwhile made it read freed memory: a segfault at
the engine's SIGINT, before the logout (once in a full benchmark run; about one stop in thirty
while the host starts and ends threads continuously).
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import functools
import logging
import os
import signal
import sys
import threading
import time
from types import FrameType

NUDGE_INTERVAL = 0.2  # s: how long a SIGINT that missed the main thread can go unnoticed
_NUDGE = signal.SIGURG  # ignored by default; nothing in the host sends it
_HOST_MAIN = "pulumi.dynamic.__main__"


def _in_host() -> bool:
    """Whether this process is the dynamic provider host (``python -m pulumi.dynamic``): any
    other process that configures a provider (a test, a script) keeps its signal handling and
    its exit as they are."""
    main_spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(main_spec, "name", None) == _HOST_MAIN


@functools.cache
def end_promptly_after_cleanup() -> None:
    """Once per process, in the host: end it as soon as the ``atexit`` handlers registered after
    this call (the sessions' logouts) have run, without the interpreter's teardown.

    The engine waits for a provider process to end before its command ends (``Plugin.Close``
    in the Pulumi SDK's ``plugin.go`` waits for the kill and for the process's output to close),
    so the exit is part of every ``pulumi`` command's time. With this package's modules loaded
    (pydantic schemas, grpc), the teardown after the last ``atexit`` handler takes ~60 ms;
    ``os._exit`` takes ~3 ms.

    ``atexit`` runs handlers last-registered first, so call this before registering the cleanup
    it must follow. The handlers registered before it would be skipped: in the host that is only
    :func:`logging.shutdown` (registered when ``logging`` is imported, before the provider is
    unpickled), which :func:`_end` runs itself. When the host's ``main()`` ended with an
    exception (``sys.last_value`` is set once the interpreter has printed it), the normal exit
    runs instead, so its exit status and its report are the interpreter's."""
    if _in_host():
        atexit.register(_end)


def _end() -> None:
    if hasattr(sys, "last_value"):
        return
    logging.shutdown()
    # The engine starts the host unbuffered (``python3 -u``); a host started otherwise keeps
    # whatever it printed last.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed or gone: nothing left to save
            stream.flush()
    os._exit(0)


@functools.cache
def forward_stray_interrupts() -> None:
    """Once per process: make sure the main thread notices a SIGINT another thread received.

    Only in the dynamic provider host on POSIX."""
    if not _in_host() or not hasattr(signal, "pthread_kill"):
        return
    # faulthandler keeps a reference to its file, so it stays open. chain=True: the handler is
    # installed without SA_RESTART, so the interrupted wait returns EINTR.
    sink = open(os.devnull, "wb")  # noqa: SIM115
    faulthandler.register(_NUDGE, file=sink, all_threads=False, chain=True)
    threading.Thread(target=_nudge, name="pulumi-zstack-sigint", daemon=True).start()


def _nudge() -> None:
    """While the main thread waits in the host's ``Event().wait()``, interrupt its wait every
    :data:`NUDGE_INTERVAL`."""
    main = threading.main_thread().ident
    assert main is not None
    while True:
        if _waiting(sys._current_frames().get(main)):
            signal.pthread_kill(main, _NUDGE)
        time.sleep(NUDGE_INTERVAL)


def _waiting(frame: FrameType | None) -> bool:
    """Whether the main thread's innermost frames are the host's ``Event().wait()`` (once it
    stops, the KeyboardInterrupt has unwound them to ``main()``'s ``server.stop``)."""
    names: list[tuple[str, object]] = []
    while frame is not None and len(names) < 3:
        names.append((frame.f_code.co_name, frame.f_globals.get("__name__")))
        frame = frame.f_back
    # The host runs as ``python -m``: its module is ``__main__`` (its spec names the host).
    return names == [("wait", "threading"), ("wait", "threading"), ("main", "__main__")]
