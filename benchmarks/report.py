"""Targets, the Markdown table, the plot and the printed summary of a benchmark results document.

The document (``latest.json``) has ``meta``, ``imports`` and one ``runs`` entry per resource,
variant, N, phase and engine mode; see :mod:`benchmarks.run`. Every resource is judged on its
own runs against the same :data:`LIMITS`. Everything here reads only that document, so a
committed ``latest.json`` can be rendered again with ``python -m benchmarks.report``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

PHASES = ("up", "preview", "refresh", "destroy")
JOB_PHASES = ("up", "destroy")
DEFAULT_RESOURCE = "backup-storage-zone"
"""The resource of the runs of a document written before the benchmark ran more than one."""
PACKAGE = "package"
"""The ``resource`` of a target about the package rather than one resource (the import cost)."""
JUDGED_MODE = "skip"
"""Timing targets are judged with the engine's intermediate checkpoints skipped: with them, the
engine's own state writes are most of the time at large N and drown the provider."""

LIMITS: dict[str, float] = {
    "overSleep": 1.05,  # T / T_sleep, up and destroy, at N=40 and N=1000
    "overheadPerIdeal": 1.15,  # (T - E) / ideal, up and destroy, every N
    "naiveRatio": 3.0,  # (T_naive - E) / (T - E), up and destroy, every N the naive client runs
    "noticeFirstWave": 0.150,  # s, p95 job finished -> noticed, jobs of the first wave
    "noticeLaterWaves": 0.050,  # s, the same for every later job
    "pollsFirstWave": 5.0,  # polls per job, mean, first wave
    "pollsLaterWaves": 3.0,  # polls per job, mean, later waves
    "loginsPerProcess": 1.0,
    "sessionsLeftOpen": 0.0,  # logins - logouts after any phase
    "refreshRequestsPerResource": 1.0,  # API requests (no login / logout), every N
    "refreshRequestsPerResourceLarge": 0.05,  # every request, login included, at N=1000
    "refreshWithQueryLatency": 1.0,  # s, T - E of refresh at N=1000 with 30 ms per query
    "rssGrowth": 1.10,  # provider peak RSS, N=1000 / N=40
    "stateBytesOverFloor": 512.0,  # state per resource beyond the floor provider's, after up, largest N
    "importSeconds": 0.150,  # imports before the provider's first request
}
"""Every target's limit, in one place (``tests/bench`` pins this table)."""

MAX_OVERHEAD_RATIO = LIMITS["overheadPerIdeal"]


def resource_of(entry: dict[str, Any]) -> str:
    """The resource a run or a target is about (documents from before it was recorded: the first)."""
    return str(entry.get("resource", DEFAULT_RESOURCE))


def resources(doc: dict[str, Any]) -> list[str]:
    """The resources of the document's runs, in the order they ran."""
    found = list(dict.fromkeys(resource_of(r) for r in doc["runs"]))
    listed = [key for key in doc["meta"].get("resources", ()) if key in found]
    return listed + [key for key in found if key not in listed]


def _type_name(doc: dict[str, Any], resource: str) -> str:
    return str(doc["meta"].get("resourceTypes", {}).get(resource, resource))


class Runs:
    """Look-ups into the ``runs`` of one resource of a results document (default: the first)."""

    def __init__(self, doc: dict[str, Any], mode: str = JUDGED_MODE, resource: str | None = None) -> None:
        self.doc = doc
        self.mode = mode
        self.resource = resource if resource is not None else next(iter(resources(doc)), DEFAULT_RESOURCE)
        self.runs = [r for r in doc["runs"] if resource_of(r) == self.resource]
        self._index = {(r["variant"], r["n"], r["phase"], r.get("mode", JUDGED_MODE)): r for r in self.runs}
        self.sizes: list[int] = sorted({r["n"] for r in self.runs})
        self.modes: list[str] = sorted({r.get("mode", JUDGED_MODE) for r in self.runs}, reverse=True)

    def in_mode(self, mode: str) -> Runs:
        return Runs(self.doc, mode, self.resource)

    def get(self, variant: str, n: int, phase: str) -> dict[str, Any] | None:
        return self._index.get((variant, n, phase, self.mode))

    def seconds(self, variant: str, n: int, phase: str) -> float | None:
        """The median of the repeats."""
        run = self.get(variant, n, phase)
        return None if run is None else float(run["seconds"])

    def ours(self, phases: Iterable[str] = PHASES, *, all_modes: bool = True) -> list[dict[str, Any]]:
        wanted = set(phases)
        return [
            r
            for r in self.runs
            if r["variant"] == "ours"
            and r["phase"] in wanted
            and (all_modes or r.get("mode", JUDGED_MODE) == self.mode)
        ]

    def target_n(self) -> int:
        wanted = int(self.doc["meta"].get("targetN", 40))
        return min(self.sizes, key=lambda n: (abs(n - wanted), -n)) if self.sizes else wanted

    def overhead(self, n: int, phase: str) -> float | None:
        """``T - E``: what the API and our provider add to the engine's floor."""
        t, e = self.seconds("ours", n, phase), self.seconds("floor", n, phase)
        return None if t is None or e is None else t - e

    def overhead_ratio(self, n: int, phase: str) -> float | None:
        """``(T - E) / ideal``."""
        run, extra = self.get("ours", n, phase), self.overhead(n, phase)
        if run is None or extra is None or not run.get("ideal"):
            return None
        return extra / float(run["ideal"])

    def sleep_ratio(self, n: int, phase: str) -> float | None:
        """``(T_sleep - E) / ideal``: the engine's and host's own share, with L-long operations."""
        run = self.get("ours", n, phase) or self.get("sleep", n, phase)
        ts, e = self.seconds("sleep", n, phase), self.seconds("floor", n, phase)
        if run is None or ts is None or e is None or not run.get("ideal"):
            return None
        return (ts - e) / float(run["ideal"])

    def over_sleep(self, n: int, phase: str) -> float | None:
        """``T / T_sleep``: this provider against one that only sleeps L per operation."""
        t, ts = self.seconds("ours", n, phase), self.seconds("sleep", n, phase)
        return None if t is None or ts is None or ts <= 0 else t / ts

    def naive_ratio(self, n: int, phase: str) -> float | None:
        """``(T_naive - E) / (T - E)``, for the phases with jobs (elsewhere ``T - E`` is noise)."""
        if phase not in JOB_PHASES:
            return None
        tn, e, extra = (
            self.seconds("naive", n, phase),
            self.seconds("floor", n, phase),
            self.overhead(n, phase),
        )
        if tn is None or e is None or extra is None or extra <= 0:
            return None
        return (tn - e) / extra


def _target(
    name: str, measured: float | None, limit: float, *, at_most: bool, unit: str = "", detail: str = ""
) -> dict[str, Any]:
    if measured is None:
        verdict = "N/A"
    else:
        verdict = "PASS" if (measured <= limit if at_most else measured >= limit) else "FAIL"
    return {
        "name": name,
        "measured": measured,
        "limit": limit,
        "comparison": "<=" if at_most else ">=",
        "unit": unit,
        "result": verdict,
        "detail": detail,
    }


def _worst(values: Iterable[float | None], *, highest: bool = True) -> float | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return max(present) if highest else min(present)


def _state_over_floor(runs: Runs, n: int) -> list[tuple[str, float | None]]:
    """This provider's state per resource after ``up`` at ``n`` minus the floor provider's, per mode."""
    points: list[tuple[str, float | None]] = []
    for run in runs.ours(["up"]):
        mode = run.get("mode", JUDGED_MODE)
        floor = runs.in_mode(mode).get("floor", n, "up") or {}
        ours, base = run.get("stateBytesPerResource"), floor.get("stateBytesPerResource")
        if run["n"] == n and ours is not None and base is not None:
            points.append((f"N={n} {mode} ({ours:.0f} B, floor {base:.0f} B)", ours - base))
    return points


def _small_repeats(meta: dict[str, Any]) -> str:
    """``"5 up to N=10, "`` when the smallest sizes ran more repeats (documents from before: none)."""
    small = meta.get("smallRepeat")
    return "" if small in (None, meta.get("repeat")) else f"{small} up to N={meta.get('smallN')}, "


def _at(n: int, phase: str, value: float | None) -> tuple[str, float | None]:
    return f"N={n} {phase}", value


def _each(
    name: str,
    points: Iterable[tuple[str, float | None]],
    limit: float,
    *,
    at_most: bool = True,
    unit: str = "",
    detail: str = "",
) -> dict[str, Any]:
    """A target judged at every point: the worst point is the measured value, all are listed."""
    shown = [(where, value) for where, value in points if value is not None]
    worst = _worst((v for _, v in shown), highest=at_most)
    fmt = (lambda v: f"{v * 1000:.0f} ms") if unit == "s" else (lambda v: f"{v:.2f}")
    listing = ", ".join(f"{where}: {fmt(value)}" for where, value in shown)
    return _target(
        name, worst, limit, at_most=at_most, unit=unit, detail="; ".join(filter(None, [detail, listing]))
    )


def targets(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets of every resource, each judged on all its data (the worst point decides, every
    point is listed), and the package's import cost once. Each target names its ``resource``.

    Times are medians of the repeats, in the ``skip`` engine mode (see :data:`JUDGED_MODE`).
    """
    found = [
        {**target, "resource": resource}
        for resource in resources(doc)
        for target in resource_targets(doc, Runs(doc, resource=resource))
    ]
    imports = doc.get("imports") or {}
    found.append(
        {
            **_target(
                "imports added to a provider process start (before its first request)",
                imports.get("providerStart"),
                LIMITS["importSeconds"],
                at_most=True,
                unit="s",
                detail=f"`import pulumi_zstack` alone: {_ms(imports.get('package'))}; with the client "
                f"(the areas of every resource's ends) and requests, loaded by configure() and the "
                f"first call: {_ms(imports.get('providerStart'))}; pydantic and the models, loaded in a "
                f"thread while the first job runs: {_ms(imports.get('models'))} (all together "
                f"{_ms(imports.get('total'))}); the host's own `import pulumi.dynamic`: "
                f"{_ms(imports.get('host'))}",
            ),
            "resource": PACKAGE,
        }
    )
    return found


def resource_targets(doc: dict[str, Any], runs: Runs) -> list[dict[str, Any]]:
    """The targets of one resource, judged on its runs only."""
    large = max(runs.sizes, default=0)
    found: list[dict[str, Any]] = []
    for phase in JOB_PHASES:
        found.append(
            _each(
                f"T / T_sleep, {phase}, N=40 and N={large}",
                (_at(n, phase, runs.over_sleep(n, phase)) for n in runs.sizes if n in (40, large)),
                LIMITS["overSleep"],
                detail="this provider against one that only sleeps L per operation",
            )
        )
    for phase in JOB_PHASES:
        found.append(
            _each(
                f"(T - E) / ideal, {phase}, every N",
                (_at(n, phase, runs.overhead_ratio(n, phase)) for n in runs.sizes),
                LIMITS["overheadPerIdeal"],
            )
        )
    for phase in JOB_PHASES:
        found.append(
            _each(
                f"(T_naive - E) / (T - E), {phase}, every N the naive client ran",
                (_at(n, phase, runs.naive_ratio(n, phase)) for n in runs.sizes),
                LIMITS["naiveRatio"],
                at_most=False,
            )
        )
    jobs = [r for r in runs.ours(JOB_PHASES) if r.get("jobs")]

    def per_run(key: str) -> Iterable[tuple[str, float | None]]:
        return ((f"N={r['n']} {r['phase']} {r.get('mode', JUDGED_MODE)}", r.get(key)) for r in jobs)

    found += [
        _each(
            "p95 delay job finished -> noticed, first wave (submitted before the process saw a job finish)",
            per_run("noticeP95First"),
            LIMITS["noticeFirstWave"],
            unit="s",
            detail="a new provider process has no history of how long jobs take",
        ),
        _each(
            "p95 delay job finished -> noticed, every later job",
            per_run("noticeP95Later"),
            LIMITS["noticeLaterWaves"],
            unit="s",
        ),
        _each("polls per job, mean, first wave", per_run("pollsPerJobFirst"), LIMITS["pollsFirstWave"]),
        _each("polls per job, mean, every later job", per_run("pollsPerJobLater"), LIMITS["pollsLaterWaves"]),
        _each(
            "logins per provider process",
            (
                (
                    f"N={r['n']} {r['phase']} {r.get('mode', JUDGED_MODE)}",
                    r["logins"] / max(1, r["providerProcesses"] or 1),
                )
                for r in runs.ours()
            ),
            LIMITS["loginsPerProcess"],
            detail="every engine run starts one provider process",
        ),
        _each(
            "sessions left open after the phase (logins - logouts)",
            (
                (
                    f"N={r['n']} {r['phase']} {r.get('mode', JUDGED_MODE)}",
                    float(r.get("sessionsLeftOpen", r["logins"])),
                )
                for r in runs.ours([*PHASES, "refresh_q"])
            ),
            LIMITS["sessionsLeftOpen"],
            detail=_outlived_note(runs.ours([*PHASES, "refresh_q"])),
        ),
        _each(
            "refresh: API requests per resource (login and logout excluded), every N",
            (
                (f"N={r['n']} {r.get('mode', JUDGED_MODE)}", r["apiRequestsPerResource"])
                for r in runs.ours(["refresh"])
            ),
            LIMITS["refreshRequestsPerResource"],
        ),
        _each(
            f"refresh: requests per resource, login included, N={large}",
            (
                (f"N={r['n']} {r.get('mode', JUDGED_MODE)}", r["requestsPerResource"])
                for r in runs.ours(["refresh", "refresh_q"])
                if r["n"] == large
            ),
            LIMITS["refreshRequestsPerResourceLarge"],
        ),
        _each(
            f"refresh with {_ms(doc['meta'].get('queryLatency'))} per query: T - E, N={large}",
            [_at(large, "refresh_q", _refresh_q_overhead(runs, large))],
            LIMITS["refreshWithQueryLatency"],
            unit="s",
            detail="E is the floor provider's refresh against the same simulator",
        ),
    ]
    small = 40 if 40 in runs.sizes else min(runs.sizes, default=0)
    rss_small, rss_large = _peak_rss(runs, small), _peak_rss(runs, large)
    found.append(
        _target(
            f"provider peak RSS, N={large} / N={small}",
            None if rss_small is None or rss_large is None or small == large else rss_large / rss_small,
            LIMITS["rssGrowth"],
            at_most=True,
            detail=f"{_mb(rss_small)} at N={small}, {_mb(rss_large)} at N={large}",
        )
    )
    found.append(
        _each(
            f"state per resource beyond the floor provider's (bytes, after up), N={large}",
            _state_over_floor(runs, large),
            LIMITS["stateBytesOverFloor"],
            detail=(
                "the floor provider's resources carry the same inputs and inventory outputs, and the "
                "engine's own record of each resource (urn, parent, provider, the stack trace of the "
                "program that declared it) is the same for any provider; what is left is this "
                "provider's own: the owner key and its constructors' frames"
            ),
        )
    )
    return found


def passing(found: list[dict[str, Any]]) -> str:
    """``41 of 52 targets pass (backup-storage-zone 14/17, ...)``: the one-line verdict."""
    by_resource: dict[str, list[str]] = {}
    for t in found:
        by_resource.setdefault(resource_of(t), []).append(t["result"])
    each = ", ".join(f"{key} {results.count('PASS')}/{len(results)}" for key, results in by_resource.items())
    total = sum(t["result"] == "PASS" for t in found)
    return f"{total} of {len(found)} targets pass ({each})"


def _refresh_q_overhead(runs: Runs, n: int) -> float | None:
    t, e = runs.seconds("ours", n, "refresh_q"), runs.seconds("floor", n, "refresh_q")
    return None if t is None or e is None else t - e


def _peak_rss(runs: Runs, n: int) -> float | None:
    return _worst(r.get("providerPeakRss") for r in runs.ours() if r["n"] == n)


# --------------------------------------------------------------------------- formatting


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f} ms"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value / 2**20:.1f} MB"


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _measured(target: dict[str, Any]) -> str:
    value = target["measured"]
    if value is None:
        return "-"
    if target["unit"] == "s":
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f}"


def _limit(target: dict[str, Any]) -> str:
    limit = target["limit"]
    shown = f"{limit * 1000:.0f} ms" if target["unit"] == "s" else f"{limit:g}"
    return f"{target['comparison']} {shown}"


def _spread(run: dict[str, Any] | None) -> str:
    """``median [min-max]`` of a run's repeats."""
    if run is None:
        return "-"
    low, high = run.get("secondsMin", run["seconds"]), run.get("secondsMax", run["seconds"])
    if len(run.get("secondsAll") or ()) < 2:
        return _s(run["seconds"])
    return f"{_s(run['seconds'])} [{_s(low)}-{_s(high)}]"


def _mode_title(mode: str) -> str:
    if mode == "skip":
        return "engine checkpoints skipped (`PULUMI_SKIP_CHECKPOINTS=true`, the judged mode)"
    return "engine default (state saved after every step)"


def markdown(doc: dict[str, Any]) -> str:
    """The results as Markdown: the targets of every resource, then per resource the time per
    phase, traffic and polling, the targets with their points, and where the time goes."""
    meta = doc["meta"]
    keys = resources(doc)
    lines = [
        "# Benchmark results",
        "",
        f"`python -m benchmarks.run{' --quick' if meta.get('quick') else ''}` on {meta['date']}: "
        f"resources {', '.join(f'`{key}`' for key in keys)}, "
        f"job latency L = {meta['latency']:g} s, engine {meta['engine']}, Pulumi Python SDK "
        f"{meta['pulumiSdk']}, Python {meta['python']}, {meta['cpus']} CPUs; the provider host runs "
        f"{meta['hostWorkers']} operations at once, the engine's parallelism is its default"
        f"{_compiled_note(meta)}. "
        f"{meta.get('repeat')} repeats per variant ({_small_repeats(meta)}{meta.get('largeRepeat')} from "
        f"N={meta.get('largeN')}); "
        "times are the **median** of the repeats, with [min-max] (every sample is in `latest.json`); "
        "verdicts use the median. "
        "E: the same program with a provider that returns at once (engine floor); T_sleep: a provider "
        "that only sleeps L in each create and delete (the engine and host running L-long operations, "
        "the best any provider can do); T: this provider; "
        "T_naive: a new login per operation and a fixed 1 s poll (the official SDKs' way); "
        "ideal: ceil(N/4) x L for each job a resource needs (none in preview and refresh). "
        f"refresh_q: refresh against a simulator answering each query after "
        f"{_ms(meta.get('queryLatency'))}. " + _modes_note(meta, keys),
        "",
        *_load_note(meta),
        "## Targets",
        "",
        f"**{passing(doc['targets'])}.** Each resource is judged on its own runs, against the same "
        "limits; the worst point decides (the points are listed in each resource's section).",
        "",
        *_target_matrix(doc, keys),
    ]
    for key in keys:
        lines += ["", *_resource_markdown(doc, key)]
    return "\n".join(lines) + "\n"


def _modes_note(meta: dict[str, Any], keys: list[str]) -> str:
    keep_max_n = meta.get("keepMaxN")
    if len(keys) < 2 or keep_max_n is None:
        return ""
    return (
        f"`{keys[0]}` runs both engine modes at every N; the other resources run the judged mode "
        f"at every N and the engine default up to N={keep_max_n}."
    )


def _target_matrix(doc: dict[str, Any], keys: list[str]) -> list[str]:
    """One row per target, one column per resource: measured (worst point) and verdict."""
    cells: dict[str, dict[str, dict[str, Any]]] = {}
    for t in doc["targets"]:
        cells.setdefault(t["name"], {})[resource_of(t)] = t
    columns = [*keys, PACKAGE] if any(t.get("resource") == PACKAGE for t in doc["targets"]) else keys
    lines = [
        f"| target | limit | {' | '.join(columns)} |",
        f"|---|---:|{'---:|' * len(columns)}",
    ]
    for name, row in cells.items():
        limit = _limit(next(iter(row.values())))
        shown = [f"{_measured(row[key])} **{row[key]['result']}**" if key in row else "" for key in columns]
        lines.append(f"| {name} | {limit} | {' | '.join(shown)} |")
    return lines


def _resource_markdown(doc: dict[str, Any], resource: str) -> list[str]:
    """One resource's section: time per phase in each mode, traffic, targets, where the time goes."""
    runs = Runs(doc, resource=resource)
    title = _type_name(doc, resource)
    lines = [f"## {title} (`{resource}`)" if title != resource else f"## `{resource}`", ""]
    for mode in runs.modes:
        in_mode = runs.in_mode(mode)
        lines += [
            f"### Time per phase (seconds): {_mode_title(mode)}",
            "",
            "| N | phase | E | T_sleep | T | T / T_sleep | T - E | ideal | (T_sleep - E) / ideal "
            "| (T - E) / ideal | T_naive | (T_naive - E) / (T - E) |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for n in in_mode.sizes:
            for phase in (*PHASES, "refresh_q"):
                ours = in_mode.get("ours", n, phase)
                if ours is None and in_mode.get("floor", n, phase) is None:
                    continue
                lines.append(
                    f"| {n} | {phase} | {_spread(in_mode.get('floor', n, phase))} "
                    f"| {_spread(in_mode.get('sleep', n, phase))} | {_spread(ours)} "
                    f"| {_ratio(in_mode.over_sleep(n, phase))} "
                    f"| {_s(in_mode.overhead(n, phase))} | {_s(ours['ideal'] if ours else None)} "
                    f"| {_ratio(in_mode.sleep_ratio(n, phase))} | {_ratio(in_mode.overhead_ratio(n, phase))} "
                    f"| {_spread(in_mode.get('naive', n, phase))} | {_ratio(in_mode.naive_ratio(n, phase))} |"
                )
        lines.append("")
    lines += [
        "### Traffic, polling and memory of this provider",
        "",
        "Requests per resource include the login and the logout; polls per job and notice delay "
        "(job finished → the poll that saw it) are shown for the first wave (jobs submitted before the "
        "provider process had seen one finish: each engine run is a new process), for the later jobs "
        "and for all jobs.",
        "",
        "| N | mode | phase | requests / resource | logins | logouts | jobs "
        "| polls / job first / later (all) | notice p95 first / later (all) | max jobs in flight "
        "| provider peak RSS | state / resource |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(runs.ours([*PHASES, "refresh_q"]), key=lambda r: (r["n"], r.get("mode", ""), r["phase"])):
        jobs = r.get("jobs") or 0
        polls = (
            f"{_num(r.get('pollsPerJobFirst'))} / {_num(r.get('pollsPerJobLater'))} "
            f"({_num(r.get('pollsPerJob'))})"
            if jobs
            else "-"
        )
        notice = (
            f"{_ms(r.get('noticeP95First'))} / {_ms(r.get('noticeP95Later'))} ({_ms(r.get('noticeP95'))})"
            if jobs
            else "-"
        )
        logouts = r["logins"] - r["sessionsLeftOpen"] if "sessionsLeftOpen" in r else "-"
        state = r.get("stateBytesPerResource")
        lines.append(
            f"| {r['n']} | {r.get('mode', '-')} | {r['phase']} | {_num(r['requestsPerResource'], 3)} "
            f"| {r['logins']} | {logouts} | {jobs} | {polls} | {notice} | {r.get('maxJobsInFlight') or '-'} "
            f"| {_mb(r.get('providerPeakRss'))} | {'-' if state is None else f'{state:.0f} B'} |"
        )
    naive = [r for r in runs.runs if r["variant"] == "naive"]
    if naive:
        lines += [
            "",
            "Naive client, for comparison:",
            "",
            "| N | phase | requests / resource | logins | polls / job | notice p50 / p95 |",
            "|---:|---|---:|---:|---:|---:|",
        ]
        for r in naive:
            jobs = r.get("jobs") or 0
            lines.append(
                f"| {r['n']} | {r['phase']} | {_num(r['requestsPerResource'])} | {r['logins']} "
                f"| {_num(r.get('pollsPerJob')) if jobs else '-'} "
                f"| {(_ms(r.get('noticeP50')) + ' / ' + _ms(r.get('noticeP95'))) if jobs else '-'} |"
            )
    mine = [t for t in doc["targets"] if resource_of(t) in (resource, PACKAGE)]
    lines += [
        "",
        f"### Targets of `{resource}`",
        "",
        "| target | measured | limit | result | notes |",
        "|---|---:|---:|---|---|",
    ]
    for t in mine:
        lines.append(f"| {t['name']} | {_measured(t)} | {_limit(t)} | **{t['result']}** | {t['detail']} |")
    return [*lines, "", *where_time_goes(doc, runs)]


def _compiled_note(meta: dict[str, Any]) -> str:
    """How the provider's code was loaded: byte-compiled first, as installing a wheel leaves it."""
    if not meta.get("byteCompiled"):
        return ""
    return (
        "; the project's code was byte-compiled before the run, as `pip install` leaves an installed "
        "package (an editable checkout under PYTHONDONTWRITEBYTECODE compiles it in every process)"
    )


def _outlived_note(runs: Iterable[dict[str, Any]]) -> str:
    """Which provider processes were still running when their command returned (the traffic is
    read once they have exited, so their logouts count): the engine waits for them as a rule."""
    late = [
        f"N={r['n']} {r['phase']} {r.get('mode', JUDGED_MODE)} ({r['providerOutlivedCommand']:.2f} s)"
        for r in runs
        if r.get("providerOutlivedCommand")
    ]
    counted = "counted once the phase's provider processes have exited"
    if not late:
        return f"{counted}; none outlived its command"
    return f"{counted}; still running after the command returned: {', '.join(late)}"


def _load_note(meta: dict[str, Any]) -> list[str]:
    load = meta.get("otherCpuLoad") or {}
    # Per resource and N; documents written before the benchmark ran more than one: per N.
    flat = {
        f"{key} N={n}" if isinstance(value, dict) else f"N={key}": cpus
        for key, value in load.items()
        for n, cpus in (value.items() if isinstance(value, dict) else [(key, value)])
    }
    shown = ", ".join(f"{where}: {cpus:.2f}" for where, cpus in flat.items() if cpus is not None)
    if not shown:
        return []
    return [
        f"The machine is shared: other processes kept on average this many of its {meta['cpus']} "
        f"CPUs busy during the run ({shown}); timings move with that, hence the median and the "
        "[min-max] of the repeats.",
        "",
    ]


def where_time_goes(doc: dict[str, Any], runs: Runs) -> list[str]:
    """Where ``T - E`` of ``runs``' resource goes at the target N: the waves of jobs, and our
    client around each job."""
    n = runs.target_n()
    workers = int(doc["meta"]["hostWorkers"])
    waves = -(-n // workers)
    lines = ["### Where the time goes", ""]
    for phase in JOB_PHASES:
        r = runs.get("ours", n, phase)
        extra = runs.overhead(n, phase)
        if r is None or extra is None:
            continue
        t = r.get("operationTimings") or {}
        sleep, floor = runs.seconds("sleep", n, phase), runs.seconds("floor", n, phase)
        engine = (
            f"The engine and host alone, running operations that each sleep L, take "
            f"{sleep - floor:.2f} s over E (T_sleep - E), "
            f"{(sleep - floor - r['ideal']) * 1000 / waves:.0f} ms per wave above L; this provider takes "
            f"{(extra - (sleep - floor)) * 1000 / waves:+.0f} ms per wave more than that. "
            if sleep is not None and floor is not None
            else ""
        )
        lines.append(
            f"- `{phase}`, N={n}: T - E = {extra:.2f} s for {waves} waves of at most "
            f"{r.get('maxJobsInFlight')} jobs in flight (the host's {workers} worker threads), "
            f"ideal {r['ideal']:.2f} s. {engine}Per operation, from the simulator's logs: "
            f"{_ms(t.get('beforeSubmit'))} from the pair's first submit to its job's, the job "
            f"{_ms(t.get('job'))}, {_ms(t.get('notice'))} from the job finishing to the poll that saw it, "
            f"then {_ms(t.get('turnaround'))} until the next operation's first request (engine and host)."
        )
    return lines


# --------------------------------------------------------------------------- plot and summary


def plot(doc: dict[str, Any], path: Path) -> None:
    """Time against N for each phase (columns) and resource (rows): T, T_naive, T_sleep, the
    engine floor E and E + ideal, in the judged mode."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = resources(doc)
    fig, axes = plt.subplots(
        len(keys), len(PHASES), figsize=(18, 0.6 + 3.8 * len(keys)), constrained_layout=True, squeeze=False
    )
    for row, key in zip(axes, keys, strict=True):
        runs = Runs(doc, resource=key)
        for ax, phase in zip(row, PHASES, strict=True):
            _plot_phase(ax, runs, phase)
            ax.set_title(f"{key}: {phase}", fontsize=10)
    handles, labels = axes[0][0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncol=3, fontsize=9)
    fig.suptitle(
        f"pulumi-zstack with the real engine, engine checkpoints skipped, job latency L = "
        f"{doc['meta']['latency']:g} s"
    )
    fig.savefig(path, dpi=80)
    plt.close(fig)


def _plot_phase(ax: Any, runs: Runs, phase: str) -> None:
    """One panel: the variants' times against N for ``phase``."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    def series(variant: str) -> tuple[list[int], list[float]]:
        points = [(n, runs.seconds(variant, n, phase)) for n in runs.sizes]
        kept = [(n, s) for n, s in points if s is not None]
        return [n for n, _ in kept], [s for _, s in kept]

    for variant, label, style in (
        ("naive", "T_naive (new login per op, 1 s polls)", "s--"),
        ("ours", "T (pulumi-zstack)", "o-"),
        ("sleep", "T_sleep (operations that only sleep L)", "d-."),
        ("floor", "E (engine floor)", "^:"),
    ):
        xs, ys = series(variant)
        if xs:
            ax.plot(xs, ys, style, label=label)
    xs, ys = series("floor")
    ideal = [e + (runs.get("ours", n, phase) or {}).get("ideal", 0.0) for n, e in zip(xs, ys, strict=True)]
    if xs and any(i != e for i, e in zip(ideal, ys, strict=True)):
        ax.plot(xs, ideal, "kx-", alpha=0.4, linewidth=3, label="E + ideal (ceil(N/4) x L)")
        limit = [e + MAX_OVERHEAD_RATIO * (i - e) for e, i in zip(ys, ideal, strict=True)]
        ax.plot(xs, limit, "r:", alpha=0.6, label=f"target: E + {MAX_OVERHEAD_RATIO:g} x ideal")
    ax.set_xlabel("N (attachments)")
    ax.set_ylabel("seconds")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(runs.sizes, [str(n) for n in runs.sizes])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 1.5, 2.0, 3.0, 5.0, 7.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.grid(True, which="both", alpha=0.3)


def summary(doc: dict[str, Any]) -> str:
    """The short text printed at the end of a run: per resource its times in the judged mode and
    its targets, then how many targets pass."""
    lines = []
    for key in resources(doc):
        runs = Runs(doc, resource=key)
        lines += [
            "",
            f"{key} ({JUDGED_MODE} mode)",
            "phase     N     E  T_sleep       T     T-E   ideal (T-E)/ideal  T_naive  naive ratio",
        ]
        for n in runs.sizes:
            for phase in PHASES:
                ours = runs.get("ours", n, phase)
                lines.append(
                    f"{phase:<8}{n:>4} {_s(runs.seconds('floor', n, phase)):>7} "
                    f"{_s(runs.seconds('sleep', n, phase)):>7} {_s(runs.seconds('ours', n, phase)):>7} "
                    f"{_s(runs.overhead(n, phase)):>7} {_s(ours['ideal'] if ours else None):>7} "
                    f"{_ratio(runs.overhead_ratio(n, phase)):>10} {_s(runs.seconds('naive', n, phase)):>9} "
                    f"{_ratio(runs.naive_ratio(n, phase)):>10}"
                )
    lines.append("")
    for t in doc["targets"]:
        lines.append(
            f"[{t['result']:>4}] {t.get('resource', DEFAULT_RESOURCE)}: {t['name']}: "
            f"{_measured(t)} ({_limit(t)})"
        )
    lines += ["", passing(doc["targets"])]
    return "\n".join(lines)


def write(doc: dict[str, Any], out: Path, name: str = "latest") -> list[Path]:
    """Write ``<name>.json``, ``<name>.md`` and ``<name>.png`` into ``out``; return their paths."""
    paths = [out / f"{name}.json", out / f"{name}.md", out / f"{name}.png"]
    paths[0].write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    paths[1].write_text(markdown(doc))
    plot(doc, paths[2])
    return paths


def main(argv: list[str] | None = None) -> None:
    """``python -m benchmarks.report [results.json]``: render a results document again."""
    args = sys.argv[1:] if argv is None else argv
    source = Path(args[0]) if args else Path(__file__).resolve().parent / "results" / "latest.json"
    doc = json.loads(source.read_text())
    doc["targets"] = targets(doc)
    for path in write(doc, source.parent, source.stem):
        print(f"wrote {path}")
    print(summary(doc))


if __name__ == "__main__":
    main()
