"""Transient faults the provider must ride out: bodiless 502/503/504 answers, dropped connections,
slow answers, a session expiring mid-run, a job result that expired, a simulator restart."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import IMAGESTORE_1_UUID, SFTP_1_UUID, ZONE_1_UUID, ZONE_2_UUID
from tests.reliability.conftest import IMAGESTORE_2_UUID, JOB_DELAY, Matrix, reliability_seed, write_seed
from tests.reliability.harness import (
    Stack,
    adopts_after_the_job,
    assert_consistent,
    converges_once_cleared,
    error_line,
    failed_codes,
    failure_line,
    in_background,
    jobs_for,
    logins,
    now_of,
    sim_pairs,
    wait_for,
    wants,
)

pytestmark = pytest.mark.e2e

A, B, C = (ZONE_1_UUID, IMAGESTORE_1_UUID), (ZONE_1_UUID, SFTP_1_UUID), (ZONE_2_UUID, IMAGESTORE_1_UUID)
PAIRS = (A, B, C)
POLL = r"^/zstack/v1/api-jobs/"
SCAN = r"^/zstack/v1/backup-storage$"  # a refresh's shared query of all backup storages


def pair_path(pair: tuple[str, str]) -> str:
    return rf"^/zstack/v1/zones/{pair[0]}/backup-storage/{pair[1]}$"


def faulted(control: SimulatorControl, since: float, action: str) -> list[dict[str, Any]]:
    return [r for r in control.requests(since or None) if r.get("fault") == action]


def one_job_each(control: SimulatorControl, method: str, pairs: Any = PAIRS) -> list[int]:
    """How many jobs the simulator ran for each pair (each must be exactly 1: no double write)."""
    counts = [len(jobs_for(control, method, zone, bs)) for zone, bs in pairs]
    assert counts == [1] * len(counts), f"{method} jobs per pair: {counts}"
    return counts


@pytest.fixture
def stack(tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl) -> Iterator[Stack]:
    yield Stack(tmp_path, rel_simulator.url, wants(*PAIRS))


# -- 502 / 503 / 504 without a body -------------------------------------------------------------------

SINGLE = [[502], [503], [504]]
BURST = [[502, 503, 504, 503]]


def _through_status_faults(
    control: SimulatorControl,
    method: str,
    paths: list[str],
    runs: list[list[int]],
    operation: Callable[[], object],
) -> int:
    """Queue bodiless answers (``runs[i]`` in a row on ``paths[i]``), run ``operation`` (which must
    succeed) and check every one of them was served; returns how many there were."""
    since = now_of(control)
    injected = 0
    for path, statuses in zip(paths, runs, strict=True):
        for status in statuses:
            control.add_fault(method=method, path=path, action="status", status=status, count=1)
            injected += 1
    operation()
    assert len(faulted(control, since, "status")) == injected
    return injected


@pytest.mark.parametrize(
    ("where", "expected", "up_faults", "destroy_faults"),
    [
        pytest.param(
            "submit",
            "retried with the same X-Job-UUID; up and destroy succeed; one job per pair",
            ("POST", [pair_path(p) for p in PAIRS]),
            ("DELETE", [pair_path(A)]),
            id="submit",
        ),
        pytest.param(
            "job poll",
            "the poll is retried; up and destroy succeed; one job per pair",
            ("GET", [POLL] * 3),
            ("GET", [POLL]),
            id="poll",
        ),
    ],
)
def test_bodiless_5xx_on_up_and_destroy(
    stack: Stack,
    control: SimulatorControl,
    matrix: Matrix,
    where: str,
    expected: str,
    up_faults: tuple[str, list[str]],
    destroy_faults: tuple[str, list[str]],
) -> None:
    observe = matrix(
        "transient",
        f"502/503/504 without body on {where}: single {SINGLE} (up), burst {BURST} (destroy)",
        expected,
    )
    injected = _through_status_faults(control, *up_faults, SINGLE, stack.up)
    observe(f"up ok after {injected} faulted {where}s; attach jobs per pair {one_job_each(control, 'POST')}")
    observe(assert_consistent(stack, control))

    injected = _through_status_faults(control, *destroy_faults, BURST, stack.destroy)
    assert sim_pairs(control) == set()
    observe(
        f"destroy ok after {injected} faulted answers in a row to one detach {where}; "
        f"detach jobs per pair {one_job_each(control, 'DELETE')}"
    )


def test_bodiless_5xx_on_query(stack: Stack, control: SimulatorControl, matrix: Matrix) -> None:
    observe = matrix(
        "transient",
        f"502/503/504 without body on query: single {SINGLE}, then burst {BURST} (refresh)",
        "the query is retried; refresh succeeds and reports no change",
    )
    stack.up()
    injected = sum(
        _through_status_faults(control, "GET", [SCAN], [run], lambda: stack.refresh(expect_no_changes=True))
        for run in SINGLE
    )
    observe(f"refresh --expect-no-changes ok after each of {injected} single faulted queries")

    injected = _through_status_faults(
        control, "GET", [SCAN], BURST, lambda: stack.refresh(expect_no_changes=True)
    )
    observe(f"refresh --expect-no-changes ok through a burst of {injected} faulted queries")
    observe(assert_consistent(stack, control))


def test_bodiless_503_burst_longer_than_the_retry_budget(
    stack: Stack, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "transient",
        "503 without body on every submit of one pair (outlasting the retries)",
        "that create fails with one clear line, the others succeed; after the fault, up converges",
    )
    control.add_fault(method="POST", path=pair_path(B), action="status", status=503, count=-1)
    line = failure_line(stack, "up", "cannot attach")
    assert "HTTP 503 without a ZStack error body" in line and SFTP_1_UUID in line
    assert jobs_for(control, "POST", *B) == []
    assert sim_pairs(control) == stack.pairs() == {A, C}
    observe(f"up failed: {line.split('AttachmentError: ')[-1]}")
    converges_once_cleared(stack, control, observe)


# -- dropped connections ---------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["drop", "drop_before"])
def test_connection_dropped_on_submit(
    stack: Stack, control: SimulatorControl, matrix: Matrix, action: str
) -> None:
    done = "after the job was created" if action == "drop" else "before the request was processed"
    observe = matrix(
        "transient",
        f"connection dropped on submit, {done} ({action})",
        "resubmitted with the same X-Job-UUID: exactly one attach/detach job per pair, no double attach",
    )
    since = now_of(control)
    for pair in PAIRS:
        control.add_fault(method="POST", path=pair_path(pair), action=action, count=1)
    stack.up()
    assert len(faulted(control, since, action)) == 3
    observe(f"up ok; attach jobs per pair {one_job_each(control, 'POST')}")
    observe(assert_consistent(stack, control))
    for pair in PAIRS:
        control.add_fault(method="DELETE", path=pair_path(pair), action=action, count=1)
    stack.destroy()
    assert sim_pairs(control) == set()
    observe(f"destroy ok; detach jobs per pair {one_job_each(control, 'DELETE')}")


def test_connection_dropped_on_poll(stack: Stack, control: SimulatorControl, matrix: Matrix) -> None:
    observe = matrix(
        "transient",
        "connection dropped while polling (drop, then drop_before)",
        "the poll is retried; one job per pair",
    )
    since = now_of(control)
    control.add_fault(method="GET", path=POLL, action="drop", count=2)
    control.add_fault(method="GET", path=POLL, action="drop_before", count=2)
    stack.up()
    assert len(faulted(control, since, "drop")) == 2 and len(faulted(control, since, "drop_before")) == 2
    observe(f"up ok after 4 dropped polls; attach jobs per pair {one_job_each(control, 'POST')}")
    observe(assert_consistent(stack, control))


# -- slow answers ---------------------------------------------------------------------------------

REQUEST_TIMEOUT = "1"
SLOW = 2.5


def test_slow_answers_beyond_the_request_timeout(
    tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "transient",
        f"answers slower ({SLOW}s) than zstack:requestTimeout ({REQUEST_TIMEOUT}s) on submit and poll (up), "
        "and on query (refresh)",
        "timed-out requests are retried; no double attach; up and refresh succeed",
    )
    stack = Stack(
        tmp_path, rel_simulator.url, wants(*PAIRS), config={"zstack:requestTimeout": REQUEST_TIMEOUT}
    )
    since = now_of(control)
    control.add_fault(method="POST", path=pair_path(A), action="delay", seconds=SLOW, count=1)
    control.add_fault(method="GET", path=POLL, action="delay", seconds=SLOW, count=1)
    stack.up()
    assert len(faulted(control, since, "delay")) == 2
    wait_for(lambda: all(j["status"] != "running" for j in control.jobs()), "late jobs")
    observe(
        f"up ok; attach jobs per pair {one_job_each(control, 'POST')} (the late duplicate submit was refused)"
    )
    control.add_fault(method="GET", path=SCAN, action="delay", seconds=SLOW, count=1)
    stack.refresh(expect_no_changes=True)
    assert len(faulted(control, since, "delay")) == 3
    observe("refresh --expect-no-changes ok through a slow query")
    observe(assert_consistent(stack, control))


def test_a_server_that_stays_slow_fails_clearly(
    tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "transient",
        "every query slower than zstack:requestTimeout",
        "refresh fails with one line naming zstack:requestTimeout; nothing is dropped from the stack",
    )
    stack = Stack(tmp_path, rel_simulator.url, wants(A), config={"zstack:requestTimeout": REQUEST_TIMEOUT})
    stack.up()
    control.add_fault(method="GET", path=SCAN, action="delay", seconds=SLOW, count=-1)
    line = failure_line(stack, "refresh")
    assert "read timeout" in line and "'zstack:requestTimeout'" in line
    assert stack.pairs() == sim_pairs(control) == {A}
    observe(f"refresh failed: {line.split('AttachmentError: ')[-1]}")
    converges_once_cleared(stack, control, observe)


# -- job results that expired ----------------------------------------------------------------------


def test_job_poll_answers_404_expired(stack: Stack, control: SimulatorControl, matrix: Matrix) -> None:
    observe = matrix(
        "job",
        "job poll answers 404 'the job has been expired' (the job is still running)",
        "outcome unknown: the create reads the pair; not attached yet -> one clear line saying the job may "
        "still finish; refresh + up converge",
    )
    stack.wanted = wants(A)
    control.add_fault(method="POST", path=pair_path(A), action="job_delay", seconds=1.0, count=1)
    control.add_fault(method="GET", path=POLL, action="status", status=404, body="the job has been expired")
    line = failure_line(stack)
    assert "expired" in line and "outcome is unknown" in line and "pulumi refresh" in line
    observe(f"up failed: {line.split('AttachmentError: ')[-1]}")
    wait_for(lambda: A in sim_pairs(control), "the expired job to finish")
    adopts_after_the_job(stack, control, observe)


def test_job_poll_answered_by_a_proxy_page_is_reconciled(
    stack: Stack, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "job",
        "job poll answered by a proxy's HTML error page (HTTP 500, not ZStack) after the attach was accepted",
        "outcome unknown: the create reads the pair, sees it attached (its own job finished) and succeeds",
    )
    stack.wanted = wants(A)
    # The attach job is accepted and runs at once; its first poll gets a page no ZStack sends.
    page = "<html><body>Internal Server Error</body></html>"
    control.add_fault(method="GET", path=POLL, action="status", status=500, body=page)
    control.add_fault(method="POST", path=pair_path(A), action="job_delay", seconds=0.0, count=1)
    stack.up()
    assert "as wanted, although" in stack.text()
    one_job_each(control, "POST", [A])
    observe("up (create) ok: " + error_line(stack.text(), "as wanted, although").split("pulumi-zstack: ")[-1])
    observe(assert_consistent(stack, control))


def test_job_poll_404_after_the_job_finished_is_reconciled(
    stack: Stack, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "job",
        "job poll answers 404 'the job has been expired' (the detach already happened)",
        "outcome unknown: the delete reads the pair, sees it detached and succeeds",
    )
    stack.wanted = wants(A)
    stack.up()
    # The detach job runs at once (no delay), before the first poll, which is answered 404.
    control.add_fault(method="GET", path=POLL, action="status", status=404, body="the job has been expired")
    control.add_fault(method="DELETE", path=pair_path(A), action="job_delay", seconds=0.0, count=1)
    stack.wanted = []
    stack.up()
    assert "as wanted, although" in stack.text()
    observe("up (delete) ok: " + error_line(stack.text(), "as wanted, although").split("pulumi-zstack: ")[-1])
    observe(assert_consistent(stack, control))


# -- sessions -------------------------------------------------------------------------------------


def test_session_expires_mid_run(
    tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "session",
        "session invalidated in the middle of an up (on one attach submit)",
        "exactly one re-login, the job is resubmitted, no failure",
    )
    pairs = [*PAIRS, (ZONE_2_UUID, SFTP_1_UUID), (ZONE_1_UUID, IMAGESTORE_2_UUID)]
    stack = Stack(tmp_path, rel_simulator.url, wants(*pairs))
    since = now_of(control)
    control.add_fault(method="POST", path=pair_path(C), action="expire_session", count=1)
    stack.up()
    assert len(faulted(control, since, "expire_session")) == 1
    assert logins(control, since) == 2
    jobs = [j for j in control.jobs() if j["method"] == "POST"]
    failed = [j for j in jobs if j["status"] == "failed"]
    assert pair_path(C).strip("^$") in {j["path"] for j in failed}
    assert set(failed_codes(control, failed)) == {"ID.1001"}
    for zone, bs in pairs:
        path = f"/zstack/v1/zones/{zone}/backup-storage/{bs}"
        assert [j["status"] for j in jobs if j["path"] == path].count("succeeded") == 1
    observe(
        f"up ok; logins {logins(control, since)} (1 + 1 re-login); {len(failed)} job(s) failed with "
        "ID.1001 and were resubmitted; one succeeded attach job per pair"
    )
    since = now_of(control)
    control.expire_sessions()
    stack.refresh(expect_no_changes=True)
    assert logins(control, since) == 1
    observe("refresh after all sessions expired: one login, no failure")
    observe(assert_consistent(stack, control))


# -- the simulator restarted ---------------------------------------------------------------------


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[SimulatorProcess]:
    seed = write_seed(tmp_path, reliability_seed())
    with SimulatorProcess(job_delay=JOB_DELAY, seed=seed, db=tmp_path / "sim.db") as process:
        yield process


def test_simulator_restarted_mid_run(tmp_path: Path, restartable: SimulatorProcess, matrix: Matrix) -> None:
    observe = matrix(
        "transient",
        "simulator restarted (same SQLite --db) while attach jobs run and are polled",
        "the jobs survive the restart; polls and submits are retried; up succeeds with one job per pair",
    )
    control = SimulatorControl(restartable.url)
    stack = Stack(tmp_path / "stack", restartable.url, wants(*PAIRS))
    control.add_fault(method="POST", path=r"/backup-storage/", action="job_delay", seconds=1.5, count=2)
    join = in_background(stack.up)
    wait_for(lambda: sum(j["status"] == "running" for j in control.jobs()) >= 2, "two running attach jobs")
    restartable.restart()
    join()  # re-raises the error of a failed up
    control = SimulatorControl(restartable.url)
    observe(f"up ok across the restart; attach jobs per pair {one_job_each(control, 'POST')}")
    observe(assert_consistent(stack, control))
