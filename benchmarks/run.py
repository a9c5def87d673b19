"""``python -m benchmarks.run`` (``make bench``): the provider against the real engine.

Every attachment resource of the package (``--resources``, see :mod:`benchmarks.resources`:
``backup-storage-zone``, ``primary-storage-cluster``, ``l2-network-cluster``) is measured the
same way, one after the other. For each N (default 10, 40, 160 and 1000) a simulator is started
with a job latency L (default 0.2 s) and a seed of N attachable pairs (N backup storages and one
zone; N primary storages and one cluster; N VLAN networks on one interface and one cluster); a
stack of N resources with fixed uuids (no lookups) then goes through the phases ``up`` (create
N), ``preview`` (no change), ``refresh`` and ``destroy``, each timed around the Automation API
call, i.e. with the real engine and the real Python provider host. The phases run in two engine
modes: ``skip`` (``PULUMI_SKIP_CHECKPOINTS=true``: the engine writes the state once, at the end;
the mode the timing targets are judged in) and ``keep`` (the default: the state is saved after
every step, which at N = 1000 is most of the time).

Which mode runs at which N is one rule (:func:`mode_max_n`): the first resource of
``--resources`` runs both modes at every N; the others run ``skip`` at every N and ``keep`` up
to ``--keep-max-n`` (160). ``keep`` at N = 1000 is 9 of the 30 minutes one resource takes on
2 CPUs (the engine's own state writes, the same whatever the provider), and no timing target is
judged in that mode, so the others leave it out: a full run of the three resources takes about
85 minutes rather than 100 (with 5 repeats up to N = 40).

The same program runs with four providers (see :mod:`benchmarks.providers`), each
``--repeat`` times (``--small-repeat`` up to ``--small-n``, where a run is a few seconds and
one slow process start or one busy second moves a median of three; ``--large-repeat`` from
``--large-n`` on); the median counts, min and max are reported, and the order of the variants
rotates between repeats:

- ``floor``: instant create/read/delete, giving the engine's floor *E*;
- ``sleep``: create and delete that only sleep L, giving *T_sleep*: the engine and the
  provider host running L-long operations, the best any provider could do;
- ``ours``: the product, giving *T*;
- ``naive``: a fresh client per operation polling every second, giving *T_naive*.

A second refresh measurement (phase ``refresh_q``) runs against a simulator whose queries
take ``--query-latency`` (default 30 ms, a real node's order of magnitude), for the floor and
this provider, in ``skip`` mode.

The ideal API time of a phase is ``ceil(N / 4) * L`` per job each resource needs (the
provider host runs at most 4 operations at once); the simulator's logs give requests per
resource, logins, polls per job and the delay between a job finishing and the client
noticing. Results go to ``benchmarks/results/latest.{json,md,png}`` and a summary is printed.

Nothing here is asserted: targets are reported as PASS/FAIL with their ratios.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import measure, report
from benchmarks.measure import Fleet, JobStats, ProviderMemorySampler, TrafficStats
from benchmarks.resources import RESOURCES
from pulumi_zstack.simulator.seed import ADMIN_PASSWORD

PHASES = ("up", "preview", "refresh", "destroy")
VARIANTS = ("floor", "sleep", "ours", "naive")
MODES = ("skip", "keep")
QUERY_LATENCY_VARIANTS = ("floor", "ours")
JOBS_PER_RESOURCE = {"up": 1, "preview": 0, "refresh": 0, "refresh_q": 0, "destroy": 1}
DEFAULT_SIZES = (10, 40, 160, 1000)
QUICK_SIZES = (2, 6)
# The engine kills a provider 5 s after its SIGINT: one alive longer than that was never stopped.
PROVIDER_EXIT_TIMEOUT = 6.0
RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parents[1]


def ideal_seconds(phase: str, n: int, latency: float) -> float:
    """The API time no provider can beat: ``ceil(N / 4)`` waves of the phase's jobs."""
    return JOBS_PER_RESOURCE[phase] * math.ceil(n / measure.HOST_WORKERS) * latency


def mode_max_n(args: argparse.Namespace, resource: str) -> dict[str, float]:
    """The largest N each engine mode runs at for ``resource``: the first of ``--resources``
    runs every mode at every N, the others the judged mode at every N and the engine default
    up to ``--keep-max-n``."""
    first = resource == args.resources[0]
    return {"skip": math.inf, "keep": math.inf if first else args.keep_max_n}


def program(variant: str, fleet: Fleet) -> Callable[[], None]:
    """The benchmark's Pulumi program: one attachment per pair of ``fleet``."""

    def main() -> None:
        from benchmarks.providers import PROVIDERS, bench_resource

        res = fleet.resource
        for i, pair in enumerate(fleet.pairs()):
            name = f"attach-{i:04d}"
            if variant == "ours":
                product: Any = res.resource  # the typed constructor, with the ends' keyword arguments
                product(name, **res.keywords(pair))
            else:
                bench_resource(res.key)(name, PROVIDERS[res.key, variant](), pair)

    return main


@dataclass
class Sample:
    """One timed phase of one variant at one N (one repeat)."""

    seconds: float
    changes: dict[str, int]
    traffic: TrafficStats
    jobs: JobStats
    timings: dict[str, list[float]]
    peak_rss: int | None
    provider_processes: int
    attachments_after: int | None
    state_bytes: int | None
    provider_outlived: float  # s a provider process lived on after its command returned


class Bench:
    """One benchmark invocation: options, a work folder and the samples taken."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.latency: float = args.latency
        self.samples: dict[tuple[str, str, int, str, str], list[Sample]] = {}
        self.interference: dict[str, dict[int, float | None]] = {}

    def log(self, message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    def repeats(self, n: int) -> int:
        if n >= self.args.large_n:
            return int(self.args.large_repeat)
        return int(self.args.small_repeat if n <= self.args.small_n else self.args.repeat)

    def run_size(self, resource: str, n: int, sampler: ProviderMemorySampler) -> None:
        """All repeats of all variants and modes of ``resource`` at one N, against simulators
        seeded for N."""
        from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess

        fleet = Fleet.of(n, resource)
        seed = self.workdir / f"seed-{resource}-{n}.json"
        seed.write_text(json.dumps(fleet.seed()))
        max_n = mode_max_n(self.args, resource)
        with SimulatorProcess(job_delay=self.latency, seed=seed) as simulator:
            control = SimulatorControl(simulator.url)
            try:
                for mode in (m for m in self.args.modes if n <= max_n[m]):
                    for repeat in range(self.repeats(n)):
                        # Rotate the order so that slow drifts of the machine hit every variant alike.
                        variants = list(self.args.variants)
                        shift = repeat % len(variants)
                        for variant in variants[shift:] + variants[:shift]:
                            if variant == "naive" and (
                                mode != "skip"
                                or n > self.args.naive_max_n
                                or repeat >= self.args.naive_repeat
                            ):
                                continue
                            control.reset()
                            self.run_variant(variant, n, mode, fleet, simulator.url, control, sampler)
            finally:
                control.close()
        if not self.args.query_latency or "skip" not in self.args.modes:
            return
        with SimulatorProcess(
            job_delay=self.latency, seed=seed, query_latency=self.args.query_latency
        ) as sim:
            control = SimulatorControl(sim.url)
            try:
                for _repeat in range(self.repeats(n)):
                    for variant in QUERY_LATENCY_VARIANTS:
                        if variant in self.args.variants:
                            control.reset()
                            phases = {"up": None, "refresh": "refresh_q", "destroy": None}
                            self.run_variant(variant, n, "skip", fleet, sim.url, control, sampler, phases)
            finally:
                control.close()

    def run_variant(
        self,
        variant: str,
        n: int,
        mode: str,
        fleet: Fleet,
        url: str,
        control: Any,
        sampler: ProviderMemorySampler,
        phases: dict[str, str | None] | None = None,
    ) -> None:
        """The phases of a new stack of ``variant`` in engine ``mode``; ``phases`` maps each phase
        run to the name it is recorded under (``None``: run, not recorded); default all four."""
        from scripts.engine import inline_stack, stack_config

        key = fleet.resource.key
        root = self.workdir / f"{key}-{variant}-{n}-{mode}"
        env = {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
            # A provider that dies in C (no atexit, no logout) leaves its tracebacks in the output.
            "PYTHONFAULTHANDLER": "1",
        }
        if mode == "skip":
            env["PULUMI_SKIP_CHECKPOINTS"] = "true"
        stack = inline_stack(
            root,
            stack_name=f"bench-{key}-{variant}-{n}-{mode}",
            program=program(variant, fleet),
            config=stack_config(url, password=ADMIN_PASSWORD, extra={"bench:latency": str(self.latency)}),
            project="pulumi-zstack-bench",
            # The provider process unpickles benchmarks.providers: it must be importable there.
            env=env,
        )
        actions: dict[str, Callable[[], Any]] = {
            "up": stack.up,
            "preview": stack.preview,
            "refresh": stack.refresh,
            "destroy": stack.destroy,
        }
        try:
            for phase, recorded in (phases or {p: p for p in PHASES}).items():
                sampler.take()
                started = measure.now()
                t0 = time.perf_counter()
                result = actions[phase]()
                seconds = time.perf_counter() - t0
                peaks = sampler.take()
                outlived = sampler.outlived(peaks, timeout=PROVIDER_EXIT_TIMEOUT)
                ended = measure.now()
                if recorded is None:
                    continue
                requests = [r for r in control.requests(since=started) if r["timestamp"] <= ended]
                jobs = [j for j in control.jobs() if started <= j["submittedAt"] <= ended]
                sample = Sample(
                    seconds=seconds,
                    changes=_changes(result),
                    traffic=TrafficStats.of(requests),
                    jobs=JobStats.of(jobs),
                    timings=measure.operation_timings(requests, jobs),
                    peak_rss=max(peaks.values(), default=None),
                    provider_processes=len(peaks),
                    attachments_after=(
                        len(getattr(control, fleet.resource.attachments)())
                        if variant in ("ours", "naive") and phase in ("up", "destroy")
                        else None
                    ),
                    state_bytes=_state_bytes(stack) if phase == "up" else None,
                    provider_outlived=outlived,
                )
                self.samples.setdefault((key, variant, n, recorded, mode), []).append(sample)
                if sample.traffic.logins != sample.traffic.logouts:
                    self.keep_output(f"{key}-{variant}-{n}-{mode}-{recorded}", result)
                self.log(
                    f"{key} N={n:<4} {mode:<4} {variant:<6} {recorded:<9} {seconds:7.2f} s  "
                    f"requests={sample.traffic.total:<5} logins={sample.traffic.logins} "
                    f"logouts={sample.traffic.logouts} jobs={sample.jobs.count} "
                    f"polls/job={_fmt(measure.mean(sample.jobs.polls))} changes={sample.changes}"
                    + (f" provider-outlived={outlived:.2f}s" if outlived else "")
                )
        finally:
            stack.workspace.remove_stack(stack.name, force=True)
            shutil.rmtree(root, ignore_errors=True)

    def keep_output(self, name: str, result: Any) -> None:
        """Save the engine's output of a phase that left a session open (the provider's stderr
        is in it), next to the results: the next session reads why."""
        self.args.out.mkdir(parents=True, exist_ok=True)
        path = self.args.out / f"{self.args.name}-{name}-{time.strftime('%H%M%S')}.log"
        path.write_text(f"{getattr(result, 'stdout', '')}\n--- stderr ---\n{getattr(result, 'stderr', '')}")
        self.log(f"a session was left open: engine output kept in {path}")

    def entries(self) -> list[dict[str, Any]]:
        """One results entry per variant, N and phase: the best time of the repeats, pooled logs."""
        entries = []
        for (resource, variant, n, phase, mode), samples in self.samples.items():
            jobs = samples[0].jobs
            for sample in samples[1:]:
                jobs = jobs.merge(sample.jobs)
            timings = {
                key: measure.mean([v for s in samples for v in s.timings[key]]) for key in samples[0].timings
            }
            rss = [s.peak_rss for s in samples if s.peak_rss is not None]
            state = [s.state_bytes for s in samples if s.state_bytes is not None]
            entries.append(
                {
                    "resource": resource,
                    "variant": variant,
                    "n": n,
                    "phase": phase,
                    "mode": mode,
                    "seconds": statistics.median(s.seconds for s in samples),
                    "secondsMin": min(s.seconds for s in samples),
                    "secondsMax": max(s.seconds for s in samples),
                    "secondsAll": [round(s.seconds, 4) for s in samples],
                    "stateBytesPerResource": max(state) / n if state and n else None,
                    "changes": samples[0].changes,
                    "requests": statistics.fmean(s.traffic.total for s in samples),
                    "requestsByKind": samples[0].traffic.by_kind,
                    "requestsPerResource": statistics.fmean(s.traffic.per_resource(n) for s in samples),
                    "apiRequestsPerResource": max(s.traffic.per_resource(n, sessions=False) for s in samples),
                    "logins": max(s.traffic.logins for s in samples),
                    "sessionsLeftOpen": max(s.traffic.logins - s.traffic.logouts for s in samples),
                    "providerProcesses": max(s.provider_processes for s in samples),
                    "providerOutlivedCommand": max(s.provider_outlived for s in samples),
                    "providerPeakRss": max(rss) if rss else None,
                    "attachmentsAfter": samples[-1].attachments_after,
                    "ideal": ideal_seconds(phase, n, self.latency),
                    "operationTimings": timings,
                    **jobs.summary(),
                }
            )
        return entries


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _state_bytes(stack: Any) -> int:
    """Size of the stack's state (the exported deployment, as the backend stores it)."""
    return len(json.dumps(stack.export_stack().deployment))


def _changes(result: Any) -> dict[str, int]:
    summary = getattr(result, "change_summary", None)
    if summary is None:
        summary = getattr(getattr(result, "summary", None), "resource_changes", None)
    return dict(summary or {})


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", "-L", type=float, help="job latency L in seconds (0.2; --quick: 0.1)")
    parser.add_argument(
        "--sizes",
        "-N",
        type=lambda s: [int(x) for x in s.split(",")],
        default=None,
        help="comma-separated N list (10,40,160,1000; --quick: 2,6)",
    )
    parser.add_argument(
        "--resources",
        type=lambda s: s.split(","),
        default=list(RESOURCES),
        help=f"comma-separated attachment resources, in the order they run ({','.join(RESOURCES)})",
    )
    parser.add_argument(
        "--keep-max-n",
        type=int,
        default=160,
        help="the largest N of the engine's default mode for every resource but the first (160)",
    )
    parser.add_argument(
        "--variants",
        type=lambda s: s.split(","),
        default=list(VARIANTS),
        help="comma-separated subset of floor,sleep,ours,naive",
    )
    parser.add_argument(
        "--modes",
        type=lambda s: s.split(","),
        default=list(MODES),
        help="engine checkpoint modes: skip (PULUMI_SKIP_CHECKPOINTS=true), keep (default engine)",
    )
    parser.add_argument(
        "--naive-max-n", type=int, default=160, help="skip the naive client above this N (it is slow; 160)"
    )
    parser.add_argument(
        "--query-latency",
        type=float,
        default=0.03,
        help="seconds per query of the simulator in the second refresh measurement (0.03; 0: skip it)",
    )
    parser.add_argument("--small-n", type=int, default=40, help="up to this N, use --small-repeat (40)")
    parser.add_argument(
        "--small-repeat", type=int, help="repeats at N <= --small-n (5, or --repeat if more; --quick: 1)"
    )
    parser.add_argument("--large-n", type=int, default=1000, help="from this N on, use --large-repeat (1000)")
    parser.add_argument("--large-repeat", type=int, default=1, help="repeats at N >= --large-n (1)")
    parser.add_argument(
        "--repeat",
        "-r",
        type=int,
        help="repeats of every variant; the median counts (3; --quick: 1)",
    )
    parser.add_argument("--naive-repeat", type=int, default=1, help="repeats of the (slow) naive client (1)")
    parser.add_argument("--target-n", type=int, default=40, help="the N the targets are judged at (40)")
    parser.add_argument(
        "--import-runs", type=int, help="fresh interpreters for the import cost, best counts (7; --quick: 3)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder (benchmarks/results)")
    parser.add_argument(
        "--name", help="results file name without extension (latest; --quick: quick, not committed)"
    )
    parser.add_argument("--quick", action="store_true", help="a short smoke run (N=2,6, L=0.1)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (stacks, seeds)")
    args = parser.parse_args(argv)
    quick = {"sizes": QUICK_SIZES, "latency": 0.1, "repeat": 1, "import_runs": 3, "name": "quick"}
    defaults = {"sizes": DEFAULT_SIZES, "latency": 0.2, "repeat": 3, "import_runs": 7, "name": "latest"}
    defaults.update(quick if args.quick else {})
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.small_repeat is None:
        args.small_repeat = args.repeat if args.quick else max(5, args.repeat)
    args.sizes = sorted(set(args.sizes))
    if set(args.resources) - set(RESOURCES):
        parser.error(f"unknown resources: {', '.join(sorted(set(args.resources) - set(RESOURCES)))}")
    unknown = set(args.variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants: {', '.join(sorted(unknown))}")
    if set(args.modes) - set(MODES):
        parser.error(f"unknown modes: {', '.join(sorted(set(args.modes) - set(MODES)))}")
    return args


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and write the results; returns the results document."""
    args = parse_args(argv)
    from scripts.engine import engine_bin

    engine = engine_bin()
    workdir = Path(tempfile.mkdtemp(prefix="pulumi-zstack-bench-"))
    bench = Bench(args, workdir)
    started = time.time()
    byte_compiled = measure.byte_compile(REPO / "pulumi_zstack", REPO / "benchmarks")
    try:
        bench.log(f"import cost: {args.import_runs} fresh interpreters")
        imports = measure.import_cost(args.import_runs)
        with ProviderMemorySampler() as sampler:
            for resource in args.resources:
                for n in args.sizes:
                    with measure.CpuInterference() as others:
                        bench.run_size(resource, n, sampler)
                    bench.interference.setdefault(resource, {})[n] = others.cpus
                    bench.log(
                        f"{resource} N={n}: other processes kept {others.cpus or 0:.2f} CPUs busy on average"
                    )
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            bench.log(f"work folder kept: {workdir}")
    doc = {
        "meta": {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "seconds": time.time() - started,
            "latency": args.latency,
            "sizes": args.sizes,
            "resources": args.resources,
            "resourceTypes": {key: RESOURCES[key].spec.type_name for key in args.resources},
            "keepMaxN": args.keep_max_n,
            "targetN": args.target_n,
            "variants": args.variants,
            "repeat": args.repeat,
            "smallN": args.small_n,
            "smallRepeat": args.small_repeat,
            "largeN": args.large_n,
            "largeRepeat": args.large_repeat,
            "modes": args.modes,
            "queryLatency": args.query_latency,
            "naiveRepeat": args.naive_repeat,
            "quick": args.quick,
            "byteCompiled": byte_compiled,
            "engine": _engine_version(engine),
            "pulumiSdk": _pulumi_sdk_version(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "hostWorkers": measure.HOST_WORKERS,
            "engineParallel": _engine_parallel(engine),
            "otherCpuLoad": {
                resource: {str(n): cpus for n, cpus in loads.items()}
                for resource, loads in bench.interference.items()
            },
        },
        "imports": {k: v for k, v in imports.items() if k != "samples"},
        "runs": bench.entries(),
    }
    doc["targets"] = report.targets(doc)
    args.out.mkdir(parents=True, exist_ok=True)
    paths = report.write(doc, args.out, args.name)
    print(report.summary(doc))
    for path in paths:
        print(f"wrote {path}")
    return doc


def _engine_version(bin_dir: Path) -> str:
    import subprocess

    try:
        return subprocess.run(
            [str(bin_dir / "pulumi"), "version"], check=True, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _engine_parallel(bin_dir: Path) -> str:
    """The engine's default ``--parallel`` (the benchmark leaves it alone), from its help text."""
    import re
    import subprocess

    try:
        text = subprocess.run(
            [str(bin_dir / "pulumi"), "up", "--help"], check=True, capture_output=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    found = re.search(r"--parallel\b.*\(default (\d+)\)", text)
    return found.group(1) if found else "unknown"


def _pulumi_sdk_version() -> str:
    from importlib.metadata import version

    return version("pulumi")


if __name__ == "__main__":
    main()
