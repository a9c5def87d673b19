"""The simulator's command line (``python -m pulumi_zstack.simulator`` / ``zstack-sim``).

The first line on stdout is exactly ``listening on http://HOST:PORT`` (the real
port when ``--port 0``), flushed, so scripts can start the simulator on a free
port and read where it is. SIGTERM and SIGINT stop it cleanly (exit status 0).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import ipaddress
import signal
import sqlite3
import sys
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web

from pulumi_zstack.simulator.i18n import LOCALES
from pulumi_zstack.simulator.seed import SeedError, load_seed
from pulumi_zstack.simulator.server import create_app
from pulumi_zstack.simulator.state import Simulator, SimulatorConfig
from pulumi_zstack.simulator.store import StoreError

_WILDCARDS = ("0.0.0.0", "::", "")  # noqa: S104 - recognised, not bound, here


def _parser() -> argparse.ArgumentParser:
    defaults = SimulatorConfig()
    p = argparse.ArgumentParser(prog="zstack-sim", description="Local simulator of the ZStack REST API.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    p.add_argument(
        "--port", type=int, default=8080, help="port to bind, 0 for a free one (default: %(default)s)"
    )
    p.add_argument(
        "--db", default=defaults.db, help="SQLite file keeping the state across restarts (default: in memory)"
    )
    p.add_argument("--seed", help="JSON seed file (default: the built-in seed, see docs/simulator.md)")
    p.add_argument(
        "--job-delay",
        type=float,
        default=defaults.job_delay,
        metavar="S",
        help="seconds each async job stays running (default: %(default)s)",
    )
    p.add_argument(
        "--session-timeout",
        type=float,
        default=defaults.session_timeout,
        metavar="S",
        help="seconds of inactivity before a session expires (default: %(default)s)",
    )
    p.add_argument(
        "--job-expiry",
        type=float,
        default=defaults.job_expiry,
        metavar="S",
        help="seconds a finished job is kept for polls (default: %(default)s)",
    )
    p.add_argument(
        "--max-sessions",
        type=int,
        default=defaults.max_sessions,
        metavar="N",
        help="live sessions per account before a login is refused with ID.1006 (default: %(default)s)",
    )
    p.add_argument(
        "--locale",
        choices=LOCALES,
        default=defaults.locale,
        help="language of error details; a real management node defaults to zh_CN (default: %(default)s)",
    )
    p.add_argument(
        "--time-zone",
        default=defaults.time_zone,
        metavar="TZ",
        help="the node's local time zone, an IANA name such as Asia/Shanghai: inventory dates and the "
        "access-key Date check use it (default: %(default)s)",
    )
    p.add_argument(
        "--check-time-zone",
        action="store_true",
        help="rest.checkTimeZone = true: compare the access-key Date as an instant, not as wall time",
    )
    p.add_argument(
        "--query-latency",
        type=float,
        default=defaults.query_latency,
        metavar="S",
        help="seconds each query (GET of an inventory collection or uuid) takes (default: %(default)s)",
    )
    return p


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


async def _serve(args: argparse.Namespace, sim: Simulator) -> None:
    # Handlers first: a signal sent as soon as the address is announced must stop us cleanly.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    runner = web.AppRunner(create_app(sim), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port)
    await site.start()
    port = runner.addresses[0][1]
    url = f"http://{_url_host(args.host)}:{port}"
    if args.host not in _WILDCARDS:
        sim.base_url = url
    print(f"listening on {url}", flush=True)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def run(argv: list[str] | None = None) -> int:
    """Parse ``argv``, serve until SIGTERM or SIGINT, return the exit status."""
    args = _parser().parse_args(argv)
    for name in ("job_delay", "session_timeout", "job_expiry", "query_latency"):
        if getattr(args, name) < 0:
            _parser().error(f"--{name.replace('_', '-')} must not be negative")
    if args.max_sessions < 1:
        _parser().error("--max-sessions must be at least 1")
    try:
        ZoneInfo(args.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        _parser().error(f"--time-zone {args.time_zone!r} is not an IANA time zone name such as Asia/Shanghai")
    if not _is_loopback(args.host):
        print(
            f"warning: binding {args.host}: the simulator (no real security, well-known credentials)"
            " is exposed beyond loopback",
            file=sys.stderr,
            flush=True,
        )
    try:
        seed = load_seed(args.seed)
    except SeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # Every SimulatorConfig field is the option of the same name (``--job-delay`` -> ``job_delay``).
    config = SimulatorConfig(
        **{field.name: getattr(args, field.name) for field in dataclasses.fields(SimulatorConfig)}
    )
    try:
        sim = Simulator(config, seed)
    except (StoreError, sqlite3.Error) as exc:
        print(f"error: cannot open --db {args.db}: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(_serve(args, sim))
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0
