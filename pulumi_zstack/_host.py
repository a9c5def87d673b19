"""The provider host process: make sure the engine's SIGINT stops it, whichever thread gets it.

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

:func:`forward_stray_interrupts` closes that gap. It registers :mod:`faulthandler` on SIGINT
(``chain=True``: CPython's own handler still runs after it), which writes the stacks of the
process's threads, naming the current one, to a pipe. A daemon thread reads the pipe: if the
thread that received the signal was not the main thread, it sends SIGINT to the main thread
with ``pthread_kill``, which then stops as usual.
"""

from __future__ import annotations

import faulthandler
import functools
import os
import re
import select
import signal
import sys
import threading
from typing import BinaryIO

_CURRENT = re.compile(rb"Current thread 0x([0-9a-f]+)")
_SETTLE = 0.05  # s: the rest of one dump arrives within this (it is written by one handler call)


@functools.cache
def forward_stray_interrupts() -> None:
    """Once per process: forward a SIGINT received by another thread to the main thread.

    Only in the dynamic provider host (``python -m pulumi.dynamic``): any other process that
    configures a provider (a test, a script) keeps its signal handling as it is."""
    main_spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if getattr(main_spec, "name", None) != "pulumi.dynamic.__main__":
        return
    read_end, write_end = os.pipe()
    # A full pipe must not block the signal handler: faulthandler ignores a failed write.
    os.set_blocking(write_end, False)
    sink = os.fdopen(write_end, "wb", buffering=0)
    faulthandler.register(signal.SIGINT, file=sink, all_threads=True, chain=True)
    threading.Thread(target=_forward, args=(read_end, sink), name="pulumi-zstack-sigint", daemon=True).start()


def _forward(read_end: int, sink: BinaryIO) -> None:
    """Read faulthandler's dumps; after each, re-send SIGINT to the main thread if it missed it.

    ``sink`` (the write end) is held here so that faulthandler's file stays open."""
    main = threading.main_thread().ident
    assert main is not None and sink is not None
    while True:
        dump = os.read(read_end, 65536)
        while select.select([read_end], [], [], _SETTLE)[0]:
            dump += os.read(read_end, 65536)
        receivers = {int(ident, 16) for ident in _CURRENT.findall(dump)}
        if main not in receivers:
            signal.pthread_kill(main, signal.SIGINT)
