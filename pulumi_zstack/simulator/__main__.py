"""Entry point of ``python -m pulumi_zstack.simulator`` and the ``zstack-sim`` console script.

The simulator's HTTP server needs ``aiohttp``, which only the ``simulator`` extra installs
(``pip install "pulumi-zstack[simulator]"``); without it this prints that one line and exits with
status 2 instead of a traceback. The command line itself is in :mod:`pulumi_zstack.simulator.cli`.
"""

from __future__ import annotations

import sys

MISSING_AIOHTTP = 'error: the ZStack simulator needs aiohttp: pip install "pulumi-zstack[simulator]"'


def main(argv: list[str] | None = None) -> int:
    try:
        from pulumi_zstack.simulator.cli import run
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] != "aiohttp":
            raise
        print(MISSING_AIOHTTP, file=sys.stderr)
        return 2
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
