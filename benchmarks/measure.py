"""Measurements of the benchmark that need no engine: seeds, the simulator's logs, memory, imports.

Everything here is plain data in and out, so :mod:`benchmarks.run` can drive it and the tests
can check it on made-up logs.
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
import threading
import time
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.resources import CLUSTER_UUID, DEFAULT_RESOURCE, RESOURCES, ZONE_UUID, BenchResource
from pulumi_zstack.simulator.seed import ADMIN_ACCOUNT, ADMIN_PASSWORD, Seed

HOST_WORKERS = 4
"""Worker threads of the Python dynamic provider host (``pulumi.dynamic.__main__``)."""

# --------------------------------------------------------------------------- seed


@dataclass(frozen=True)
class Fleet:
    """What a benchmark stack attaches: ``n`` members of one resource (backup storages, primary
    storages or L2 networks, see :mod:`benchmarks.resources`), each to the one zone or cluster."""

    resource: BenchResource
    n: int

    @classmethod
    def of(cls, n: int, resource: str = DEFAULT_RESOURCE) -> Fleet:
        return cls(RESOURCES[resource], n)

    def pairs(self) -> list[tuple[str, str]]:
        """The uuids of every pair, in the order of the resource's id."""
        return [self.resource.pair(i) for i in range(self.n)]

    def seed(self) -> dict[str, Any]:
        """A simulator seed with the admin account, the zone, the cluster if the resource attaches
        to one, and the ``n`` members, none attached.

        One member per attachment (rather than one member in many zones or clusters) keeps every
        resource's outputs the same size whatever N is.
        """
        res = self.resource
        accepted = _seed_fields(res.seed_key)
        members = [
            {
                "uuid": res.member_uuid(i),
                **{k: v for k, v in res.member_inventory(i).items() if k in accepted},
            }
            for i in range(self.n)
        ]
        seed: dict[str, Any] = {
            "description": f"benchmark fleet: {self.n} {res.seed_key}, one of {res.other}, none attached",
            "accounts": [{"name": ADMIN_ACCOUNT, "password": ADMIN_PASSWORD}],
            "zones": [{"uuid": ZONE_UUID, "name": "bench-zone"}],
            res.seed_key: members,
        }
        if res.other == "clusters":
            seed["clusters"] = [
                {
                    "uuid": CLUSTER_UUID,
                    "name": "bench-cluster",
                    "zoneUuid": ZONE_UUID,
                    "hypervisorType": "KVM",
                }
            ]
        return seed


def _seed_fields(seed_key: str) -> set[str]:
    """The fields the seed format takes for the records of its list ``seed_key`` (it refuses
    others, such as the fields the simulator derives the way the node does)."""
    field = next(f for name, f in Seed.model_fields.items() if (f.alias or name) == seed_key)
    (record,) = typing.get_args(field.annotation)
    return {info.alias or name for name, info in record.model_fields.items()}


# --------------------------------------------------------------------------- statistics


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) by linear interpolation; ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


# --------------------------------------------------------------------------- simulator logs


def request_kind(entry: Mapping[str, Any]) -> str:
    """``login``, ``logout``, ``poll`` (job status), ``submit`` (an async call) or ``query``."""
    method, path = entry["method"], entry["path"]
    if path.endswith("/accounts/login"):
        return "login"
    if "/accounts/sessions/" in path:
        return "logout" if method == "DELETE" else "query"
    if "/api-jobs/" in path:
        return "poll"
    return "query" if method == "GET" else "submit"


@dataclass
class TrafficStats:
    """The ZStack requests of one phase, from the simulator's request log."""

    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Iterable[Mapping[str, Any]]) -> TrafficStats:
        stats = cls()
        for entry in entries:
            kind = request_kind(entry)
            stats.total += 1
            stats.by_kind[kind] = stats.by_kind.get(kind, 0) + 1
        return stats

    @property
    def logins(self) -> int:
        return self.by_kind.get("login", 0)

    @property
    def logouts(self) -> int:
        return self.by_kind.get("logout", 0)

    def per_resource(self, n: int, *, sessions: bool = True) -> float:
        """Requests per resource; without ``sessions``, logins and logouts are left out."""
        count = self.total if sessions else self.total - self.logins - self.by_kind.get("logout", 0)
        return count / n if n else 0.0


@dataclass
class JobStats:
    """The async jobs of one phase, from the simulator's job log (times in seconds).

    The *first wave* are the jobs submitted before this provider process had seen any job of
    the operation finish: their poll schedule has no history to aim with (each engine run is
    a new provider process, so each phase starts cold). Every other job is a *later* one.
    Figures are kept for both and for all jobs together.
    """

    count: int = 0
    polls: list[int] = field(default_factory=list)
    first_polls: list[int] = field(default_factory=list)
    later_polls: list[int] = field(default_factory=list)
    notice: list[float] = field(default_factory=list)
    first_notice: list[float] = field(default_factory=list)
    later_notice: list[float] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)
    max_in_flight: int = 0
    failed: int = 0

    @classmethod
    def of(cls, jobs: Iterable[Mapping[str, Any]]) -> JobStats:
        done = sorted(
            (j for j in jobs if j.get("finishedAt") is not None and j.get("firstDonePollAt") is not None),
            key=lambda j: j["submittedAt"],
        )
        stats = cls(count=len(done), failed=sum(1 for j in done if j.get("status") != "succeeded"))
        first_learned: dict[str, float] = {}
        for job in done:
            op = job["operation"]
            first_learned[op] = min(first_learned.get(op, math.inf), job["firstDonePollAt"])
        for job in done:
            delay = job["firstDonePollAt"] - job["finishedAt"]
            stats.polls.append(job["polls"])
            stats.notice.append(delay)
            stats.durations.append(job["finishedAt"] - job["submittedAt"])
            first = job["submittedAt"] < first_learned[job["operation"]]
            (stats.first_polls if first else stats.later_polls).append(job["polls"])
            (stats.first_notice if first else stats.later_notice).append(delay)
        stats.max_in_flight = max_overlap((j["submittedAt"], j["firstDonePollAt"]) for j in done)
        return stats

    def merge(self, other: JobStats) -> JobStats:
        """Both sets of jobs (from repeats of the same phase) as one."""
        return JobStats(
            count=self.count + other.count,
            polls=self.polls + other.polls,
            first_polls=self.first_polls + other.first_polls,
            later_polls=self.later_polls + other.later_polls,
            notice=self.notice + other.notice,
            first_notice=self.first_notice + other.first_notice,
            later_notice=self.later_notice + other.later_notice,
            durations=self.durations + other.durations,
            max_in_flight=max(self.max_in_flight, other.max_in_flight),
            failed=self.failed + other.failed,
        )

    def summary(self) -> dict[str, Any]:
        return {
            "jobs": self.count,
            "failed": self.failed,
            "firstWaveJobs": len(self.first_polls),
            "pollsPerJob": mean(self.polls),
            "pollsPerJobFirst": mean(self.first_polls),
            "pollsPerJobLater": mean(self.later_polls),
            "noticeP50": percentile(self.notice, 50),
            "noticeP95": percentile(self.notice, 95),
            "noticeP95First": percentile(self.first_notice, 95),
            "noticeP95Later": percentile(self.later_notice, 95),
            "noticeMax": max(self.notice, default=None),
            "jobDurationMean": mean(self.durations),
            "maxJobsInFlight": self.max_in_flight,
        }


def max_overlap(intervals: Iterable[tuple[float, float]]) -> int:
    """The largest number of ``(start, end)`` intervals open at one time."""
    events = sorted((t, step) for start, end in intervals for t, step in ((start, 1), (end, -1)))
    best = current = 0
    for _, step in events:
        current += step
        best = max(best, current)
    return best


def operation_timings(
    requests: Sequence[Mapping[str, Any]], jobs: Sequence[Mapping[str, Any]]
) -> dict[str, list[float]]:
    """Where the time of each operation goes, from the simulator's logs (seconds, one per job).

    ``beforeSubmit``: from the provider's first request on the job's path (a submit answered
    without a job, e.g. a retried 503) to the submit of its job; ``job``: the job itself;
    ``notice``: from the job finishing to the poll that saw it; ``turnaround``: from the end of
    an operation to the first request of the next one (the engine and the provider host between
    two operations; measured after the first wave only, when operations queue for the host's
    workers).
    """
    first_request: dict[str, float] = {}
    for entry in requests:
        if request_kind(entry) == "submit":
            first_request.setdefault(_api_path(entry["path"]), entry["timestamp"])
    done = sorted(
        (j for j in jobs if j.get("firstDonePollAt") is not None and j.get("finishedAt") is not None),
        key=lambda j: j["submittedAt"],
    )
    timings: dict[str, list[float]] = {"beforeSubmit": [], "job": [], "notice": [], "turnaround": []}
    starts: list[float] = []
    for job in done:
        start = first_request.get(_api_path(job["path"]), job["submittedAt"])
        starts.append(start)
        timings["beforeSubmit"].append(job["submittedAt"] - start)
        timings["job"].append(job["finishedAt"] - job["submittedAt"])
        timings["notice"].append(job["firstDonePollAt"] - job["finishedAt"])
    ends = sorted(j["firstDonePollAt"] for j in done)
    for start in sorted(starts)[HOST_WORKERS:]:
        earlier = [end for end in ends if end <= start]
        if earlier:
            timings["turnaround"].append(start - earlier[-1])
    return timings


def _api_path(path: str) -> str:
    """``/zones/<z>/backup-storage/<b>`` of ``/zstack/v1/zones/<z>/backup-storage/<b>/``: one pair's
    path whatever the end (the last segment alone is the same cluster for every L2 network)."""
    return path.removeprefix("/zstack").removeprefix("/v1").rstrip("/")


# --------------------------------------------------------------------------- memory


class ProviderMemorySampler:
    """Samples the RSS of every ``python -m pulumi.dynamic`` process below this one.

    The engine (a child of the benchmark, through the Automation API) starts the provider host
    through a shell script; the host is found by its command line, whatever its depth.
    """

    def __init__(self, interval: float = 0.02) -> None:
        import psutil

        self._psutil = psutil
        self._me = psutil.Process()
        self._interval = interval
        self._lock = threading.Lock()
        # Keyed by psutil.Process, which compares (pid, start time): over a long run the pids
        # wrap (pid_max is 32768 here), and a provider's pid reused by an engine or a program
        # process must not lend it that process's memory.
        self._peaks: dict[Any, int] = {}
        self._providers: set[Any] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> ProviderMemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        psutil = self._psutil
        while not self._stop.wait(self._interval):
            try:
                children = self._me.children(recursive=True)
            except psutil.Error:
                continue
            self.sample(children)

    def sample(self, children: Iterable[Any]) -> None:
        """Record the RSS of the provider hosts among ``children`` (``psutil.Process`` objects)."""
        psutil = self._psutil
        for child in children:
            if child not in self._providers:
                try:
                    cmdline = child.cmdline()
                except psutil.Error:
                    continue
                if "pulumi.dynamic" not in cmdline:
                    continue
                self._providers.add(child)
            try:
                rss = child.memory_info().rss
            except psutil.Error:
                continue
            with self._lock:
                self._peaks[child] = max(self._peaks.get(child, 0), rss)

    def take(self) -> dict[Any, int]:
        """Peak RSS (bytes) per provider process (``psutil.Process``) seen since the last
        ``take``, and forget them."""
        with self._lock:
            peaks, self._peaks = self._peaks, {}
        return peaks

    def outlived(self, procs: Iterable[Any], timeout: float) -> float:
        """Wait (up to ``timeout`` s) for the provider processes ``procs`` (from :meth:`take`)
        to exit; how long the last of them lived on after this call (0.0: all had exited;
        ``timeout`` or more: one was still running).

        The engine stops a provider with SIGINT and waits for it (killing it 5 s later), so one
        still alive when its command has returned is a provider the engine did not wait for: its
        logout may reach the simulator after the command. The phase's traffic is read after this
        wait, so such a logout still counts, and the time it lived on is reported on its own."""
        started = time.monotonic()
        alive = [p for p in procs if p.is_running()]
        if not alive:
            return 0.0
        self._psutil.wait_procs(alive, timeout=timeout)
        return time.monotonic() - started


class CpuInterference:
    """How busy the machine was with *other* processes while a block ran (in CPUs, on average).

    System-wide busy CPU time minus the CPU time of this process and of all its descendants
    that ended (the engine reaps the provider processes and we reap the engine and the
    simulator), over the wall time. Timings on a machine whose CPUs are shared are noisy;
    this says how noisy.
    """

    def __init__(self) -> None:
        import psutil

        self._psutil = psutil
        self._me = psutil.Process()

    def _snapshot(self) -> tuple[float, float, float]:
        total = self._psutil.cpu_times()
        busy = total.user + total.system + getattr(total, "nice", 0.0) + getattr(total, "irq", 0.0)
        busy += getattr(total, "softirq", 0.0)
        mine = self._me.cpu_times()
        ours = mine.user + mine.system + mine.children_user + mine.children_system
        return time.monotonic(), busy, ours

    def __enter__(self) -> CpuInterference:
        self._start = self._snapshot()
        self.cpus: float | None = None
        return self

    def __exit__(self, *exc: object) -> None:
        end = self._snapshot()
        wall = end[0] - self._start[0]
        others = (end[1] - self._start[1]) - (end[2] - self._start[2])
        self.cpus = max(0.0, others / wall) if wall > 0 else None


# --------------------------------------------------------------------------- import cost

_IMPORT_PROBE = r"""
import json, time
t0 = time.perf_counter()
import pulumi.dynamic                                    # the provider host itself
t1 = time.perf_counter()
import pulumi_zstack                                     # unpickling the provider imports the package
t2 = time.perf_counter()
from pulumi_zstack.config import Settings
# configure() and what the first API call loads before its request: the client and requests,
# and the client areas of the ends of every attachment resource (an upper bound for any one).
client = Settings(endpoint="http://127.0.0.1:9", account_name="a", account_password="b").new_client()
client.backup_storage, client.zones, client.clusters, client.primary_storage, client.l2_networks
t3 = time.perf_counter()
# The inventory models (pydantic): loaded by a thread while the first job runs.
import pulumi_zstack.client.models
t4 = time.perf_counter()
print(json.dumps({"host": t1 - t0, "package": t2 - t1, "client": t3 - t2, "models": t4 - t3}))
"""


def byte_compile(*folders: Path) -> bool:
    """Write the bytecode of ``folders`` (the provider's and the benchmark's providers' code).

    ``pip install`` compiles a package it installs; an editable checkout is compiled by each
    process that imports it, and not even cached when ``PYTHONDONTWRITEBYTECODE`` is set (as on
    these machines): every provider process would then compile our modules from source, about
    15 ms of its start that no installed provider pays. Stale bytecode is ignored by Python
    (it checks the source's mtime), so this only ever removes that cost."""
    import compileall

    return all(compileall.compile_dir(folder, quiet=1) for folder in folders)


def import_cost(runs: int = 7, python: str = sys.executable) -> dict[str, Any]:
    """Import times (seconds) in fresh interpreters, best of ``runs`` for each part.

    ``host``: ``import pulumi.dynamic`` (what every dynamic provider pays); ``package``:
    ``import pulumi_zstack`` on top of it; ``client``: what ``configure()`` and the first API
    call load before its request (our client, ``requests``); ``models``: the inventory models
    and ``pydantic``, which the provider loads in a thread while its first job runs.
    ``providerStart`` is ``package + client``: what our code adds before a provider process
    can send its first request; ``total`` adds ``models``.
    """
    samples: list[dict[str, float]] = []
    for _ in range(runs):
        out = subprocess.run([python, "-c", _IMPORT_PROBE], check=True, capture_output=True, text=True).stdout
        samples.append(json.loads(out.strip().splitlines()[-1]))
    best = {key: min(s[key] for s in samples) for key in ("host", "package", "client", "models")}
    best["providerStart"] = min(s["package"] + s["client"] for s in samples)
    best["total"] = min(s["package"] + s["client"] + s["models"] for s in samples)
    return {**best, "runs": runs, "samples": samples}


def now() -> float:
    """The epoch clock the simulator's logs use."""
    return time.time()
