"""Faults that fail an operation: bad credentials, a skewed clock, failing and endless jobs, other
actors, objects deleted out of band, a killed provider or engine. Each must end in one clear line and,
once the fault is gone, a consistent stack."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pulumi_zstack.client import ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import (
    ACCESS_KEY_ID,
    ACCESS_KEY_SECRET,
    ADMIN_PASSWORD,
    IMAGESTORE_1_UUID,
    SFTP_1_UUID,
    ZONE_1_UUID,
    ZONE_2_UUID,
)
from tests.reliability.conftest import IMAGESTORE_2_UUID, ZONE_3_UUID, ZONE_4_UUID, Matrix
from tests.reliability.harness import (
    Stack,
    adopts_after_the_job,
    assert_consistent,
    changes,
    converges_once_cleared,
    error_line,
    failed_codes,
    failure_line,
    in_background,
    jobs_for,
    now_of,
    sim_pairs,
    wait_for,
    wait_jobs_done,
    wants,
)

pytestmark = pytest.mark.e2e

A, B, C = (ZONE_1_UUID, IMAGESTORE_1_UUID), (ZONE_1_UUID, SFTP_1_UUID), (ZONE_2_UUID, IMAGESTORE_1_UUID)
D, E = (ZONE_3_UUID, IMAGESTORE_2_UUID), (ZONE_4_UUID, IMAGESTORE_1_UUID)


def pair_path(pair: tuple[str, str]) -> str:
    return f"/zstack/v1/zones/{pair[0]}/backup-storage/{pair[1]}"


def message(line: str) -> str:
    return line.split("Error: ", 1)[-1]


@pytest.fixture
def client(rel_simulator: SimulatorProcess, control: SimulatorControl) -> Iterator[ZStackClient]:
    """Another actor: an administrator working on the same ZStack."""
    with ZStackClient(rel_simulator.url, account_name="admin", account_password=ADMIN_PASSWORD) as c:
        yield c


# -- credentials -----------------------------------------------------------------------------------

WRONG_PASSWORD = "Wr0ng-Pa55-e7c1"


def test_wrong_password_at_start(
    tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "credentials",
        "wrong account password at the start of a run",
        "one line with ID.1000 naming zstack:accountName/accountPassword; no write; the password never shown",
    )
    stack = Stack(tmp_path, rel_simulator.url, wants(A, B), password=WRONG_PASSWORD)
    output = stack.fails("up")
    line = error_line(output, "AttachmentError")
    assert "ID.1000" in line and "'zstack:accountPassword'" in line and "'zstack:accountName'" in line
    assert WRONG_PASSWORD not in output and control.writes() == []
    assert stack.pairs() == set()
    observe(f"up failed: {message(line)}")
    stack.set("zstack:accountPassword", ADMIN_PASSWORD, secret=True)
    stack.up()
    observe(assert_consistent(stack, control))


def test_a_fixed_password_and_a_plain_refresh(
    tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "credentials",
        "zstack:accountPassword wrong in the settings the last update recorded, then fixed in the config",
        "plain refresh uses the recorded settings and fails with one line naming the setting and "
        "`pulumi refresh --run-program`; refresh --run-program uses the current config and succeeds",
    )
    stack = Stack(tmp_path, rel_simulator.url, wants(A))
    stack.up()
    stack.set("zstack:accountPassword", WRONG_PASSWORD, secret=True)
    stack.up()  # nothing to change: succeeds without a ZStack call, and records the wrong setting
    stack.set("zstack:accountPassword", ADMIN_PASSWORD, secret=True)
    line = error_line(stack.fails("refresh"), "AttachmentError", "ID.1000")
    assert "'zstack:accountPassword'" in line and "pulumi refresh --run-program" in line
    observe(f"plain refresh failed: {message(line)}")
    stack.refresh(run_program=True)
    observe("refresh --run-program: ok")
    observe(assert_consistent(stack, control))


def test_access_key_with_a_skewed_clock(
    tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "credentials",
        "access-key requests while the clocks differ by 20 minutes (then by 5 minutes, tolerated)",
        "403 requestTimeTooSkewed -> one line telling to synchronise the clock; nothing changes",
    )
    stack = Stack(
        tmp_path, rel_simulator.url, wants(A), password=None, access_key=(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
    )
    control.add_fault(action="clock_skew", seconds=20 * 60, count=-1)
    output = stack.fails("up")
    line = error_line(output, "AttachmentError")
    assert "requestTimeTooSkewed" in line and "clock" in line and "NTP" in line
    assert changes(control) == [] and ACCESS_KEY_SECRET not in output
    assert {r["status"] for r in control.requests()} == {403}
    observe(f"up failed: {message(line)}")
    control.clear_faults()
    control.add_fault(action="clock_skew", seconds=5 * 60, count=-1)
    since = now_of(control)
    stack.up()
    assert {r["auth"] for r in control.requests(since) if r["method"] == "POST"} == {"accesskey"}
    observe("with the clocks 5 minutes apart: up ok")
    control.clear_faults()
    observe(assert_consistent(stack, control))


# -- jobs that fail or never finish ------------------------------------------------------------------


def test_attach_job_fails_with_bs_1001(stack_ab: Stack, control: SimulatorControl, matrix: Matrix) -> None:
    observe = matrix(
        "job",
        "attach job fails with BS.1001",
        "that create fails with one line (pair, code, details), the other succeeds; "
        "after the fault, up converges",
    )
    control.add_fault(
        method="POST", path=pair_path(B), action="job_error", code="BS.1001", details="agent unreachable"
    )
    line = failure_line(stack_ab)
    assert "BS.1001" in line and "agent unreachable" in line and SFTP_1_UUID in line and ZONE_1_UUID in line
    assert stack_ab.pairs() == sim_pairs(control) == {A}
    observe(f"up failed: {message(line)}")
    converges_once_cleared(stack_ab, control, observe)


def test_detach_job_fails_with_bs_1002(stack_ab: Stack, control: SimulatorControl, matrix: Matrix) -> None:
    observe = matrix(
        "job",
        "detach job fails with BS.1002 during destroy",
        "destroy fails with one line; the pair stays in the stack and in ZStack; destroy again converges",
    )
    stack_ab.up()
    control.add_fault(method="DELETE", path=pair_path(A), action="job_error", code="BS.1002")
    line = failure_line(stack_ab, "destroy")
    assert "cannot detach" in line and "BS.1002" in line and IMAGESTORE_1_UUID in line
    assert stack_ab.pairs() == sim_pairs(control) == {A}
    observe(f"destroy failed: {message(line)}")
    control.clear_faults()
    stack_ab.wanted = wants(A)
    observe(assert_consistent(stack_ab, control))
    stack_ab.destroy()
    assert stack_ab.pairs() == sim_pairs(control) == set()
    observe("destroy again: ok, nothing attached")


@pytest.fixture
def stack_ab(tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl) -> Stack:
    return Stack(tmp_path, rel_simulator.url, wants(A, B))


def test_jobs_that_outlast_the_job_timeout(
    tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "job",
        "attach and detach jobs still running at zstack:jobTimeout (1s; the jobs take 2s)",
        "one line saying the job may still finish and to run refresh; "
        "once it finished, refresh + up converge",
    )
    stack = Stack(tmp_path, rel_simulator.url, wants(A, B), config={"zstack:jobTimeout": "1"})
    control.add_fault(method="POST", path=pair_path(B), action="job_delay", seconds=2.0)
    line = failure_line(stack)
    assert "still running after 1s" in line and "may still finish" in line and "pulumi refresh" in line
    assert stack.pairs() == {A}
    observe(f"up failed: {message(line)}")
    wait_jobs_done(control)
    assert sim_pairs(control) == {A, B}
    adopts_after_the_job(stack, control, observe)

    control.add_fault(method="DELETE", path=pair_path(A), action="job_delay", seconds=2.0)
    stack.wanted = wants(B)
    line = failure_line(stack)
    assert "cannot detach" in line and "may still finish" in line
    observe(f"removing one: up failed: {message(line)}")
    wait_jobs_done(control)
    stack.refresh()
    assert stack.pairs() == sim_pairs(control) == {B}
    observe("after the detach job finished: refresh dropped the pair")
    observe(assert_consistent(stack, control))


# -- another actor -----------------------------------------------------------------------------------


def _race_with_another_actor(
    stack: Stack,
    control: SimulatorControl,
    method: str,
    ours: Callable[[], object],
    theirs: Callable[..., object],
) -> list[str]:
    """Delay our ``method`` request on pair A, let another actor do ``theirs`` to A meanwhile; both
    jobs run, theirs succeeds and ours fails. Returns the sorted job statuses."""
    control.add_fault(method=method, path=pair_path(A), action="delay", seconds=1.5)
    join = in_background(ours)
    wait_for(lambda: any(r.get("fault") == "delay" for r in control.requests()), f"our delayed {method}")
    theirs(*A)
    join()
    jobs = jobs_for(control, method, *A)
    statuses = sorted(j["status"] for j in jobs)
    assert statuses == ["failed", "succeeded"] and failed_codes(control, jobs) == ["SYS.1006"]
    return statuses


def test_another_actor_detaches_while_our_detach_is_on_its_way(
    stack_ab: Stack, control: SimulatorControl, client: ZStackClient, matrix: Matrix
) -> None:
    observe = matrix(
        "concurrency",
        "another actor detaches the same pair while our detach is on its way",
        "our job fails SYS.1006 'has not been attached' -> treated as done, destroy succeeds",
    )
    stack_ab.wanted = wants(A)
    stack_ab.up()
    statuses = _race_with_another_actor(
        stack_ab, control, "DELETE", stack_ab.destroy, client.backup_storage.detach_from_zone
    )
    assert "already detached" in stack_ab.text()
    assert stack_ab.pairs() == sim_pairs(control) == set()
    observe(f"destroy ok; detach jobs {statuses} (theirs succeeded, ours failed SYS.1006)")
    stack_ab.wanted = []
    observe(assert_consistent(stack_ab, control, destroyed=True))


# -- objects deleted out of band -----------------------------------------------------------------------


@pytest.fixture
def stack_bcd(tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl) -> Stack:
    return Stack(tmp_path, rel_simulator.url, wants(B, C, D))


def _up_then_delete_storage_and_zone(stack: Stack, client: ZStackClient) -> None:
    """Out of band, once the stack is up: imagestore-1 (attached in C) and zone-3 (attached in D) are
    deleted."""
    stack.up()
    client.backup_storage.delete(IMAGESTORE_1_UUID)
    client.zones.delete(ZONE_3_UUID)


def _up_still_wanting_them(stack: Stack, control: SimulatorControl, **kw: bool) -> list[str]:
    since = now_of(control)
    output = stack.fails("up", **kw)
    lines = [
        error_line(output, "AttachmentError", "names no backup storage", IMAGESTORE_1_UUID),
        error_line(output, "AttachmentError", "names no zone", ZONE_3_UUID),
    ]
    assert "backupStorageUuid" in lines[0] and "zoneUuid" in lines[1]
    assert changes(control, since) == []
    return [message(line) for line in lines]


def test_storage_and_zone_deleted_before_refresh(
    stack_bcd: Stack, control: SimulatorControl, client: ZStackClient, matrix: Matrix
) -> None:
    observe = matrix(
        "out of band",
        "a backup storage and a zone deleted out of band, then refresh (and an up still wanting them)",
        "refresh drops their attachments; up fails with one line per pair naming backupStorageUuid / "
        "zoneUuid, changing nothing",
    )
    _up_then_delete_storage_and_zone(stack_bcd, client)
    result = stack_bcd.refresh()
    changes = dict(result.summary.resource_changes or {})
    assert changes.get("delete") == 2
    assert stack_bcd.pairs() == sim_pairs(control) == {B}
    observe(f"refresh: {changes} -> stack == simulator == 1 pair")
    for line in _up_still_wanting_them(stack_bcd, control):
        observe(f"up still wanting it failed: {line}")
    stack_bcd.wanted = wants(B)
    observe(assert_consistent(stack_bcd, control))


def test_storage_and_zone_deleted_before_up(
    stack_bcd: Stack, control: SimulatorControl, client: ZStackClient, matrix: Matrix
) -> None:
    observe = matrix(
        "out of band",
        "a backup storage and a zone deleted out of band, then up (plain, then with --refresh)",
        "a plain up does not read ZStack (no change planned); up --refresh drops the two attachments and "
        "fails re-creating them with one line each naming the field, changing nothing",
    )
    _up_then_delete_storage_and_zone(stack_bcd, client)
    result = stack_bcd.up()
    assert result.summary.resource_changes == {"same": 4}
    observe(f"plain up: {result.summary.resource_changes} (the stack still lists the 2 lost attachments)")
    lines = _up_still_wanting_them(stack_bcd, control, refresh=True)
    assert stack_bcd.pairs() == sim_pairs(control) == {B}
    for line in lines:
        observe(f"up --refresh failed: {line}")
    stack_bcd.wanted = wants(B)
    observe(assert_consistent(stack_bcd, control))


def test_backup_storage_and_zone_deleted_before_destroy(
    tmp_path: Path,
    rel_simulator: SimulatorProcess,
    control: SimulatorControl,
    client: ZStackClient,
    matrix: Matrix,
) -> None:
    observe = matrix(
        "out of band",
        "backup storage of one pair and zone of another deleted out of band, then destroy",
        "both detaches find nothing to do (SYS.1003) and destroy succeeds",
    )
    stack = Stack(tmp_path, rel_simulator.url, wants(B, D, E))
    stack.up()
    client.backup_storage.delete(IMAGESTORE_2_UUID)
    client.zones.delete(ZONE_4_UUID)
    stack.destroy()
    for zone, bs in (D, E):
        assert f"backup storage {bs} and zone {zone} were already detached: nothing to do" in stack.text()
        assert failed_codes(control, jobs_for(control, "DELETE", zone, bs)) == ["SYS.1003"]
    assert stack.pairs() == sim_pairs(control) == set()
    observe("destroy ok; 2 'already detached' notices; stack and simulator empty")
    stack.wanted = []
    observe(assert_consistent(stack, control, destroyed=True))


# -- processes killed ----------------------------------------------------------------------------------


def _up_while_a_slow_attach_runs(stack: Stack, control: SimulatorControl) -> Callable[[], None]:
    """Start ``up`` in the background, the attach job of pair B taking 2s; return once that job runs."""
    control.add_fault(method="POST", path=pair_path(B), action="job_delay", seconds=2.0)
    join = in_background(stack.up)
    wait_for(lambda: jobs_for(control, "POST", *B), "the slow attach job")
    return join


# The inline program's in-process gRPC server outlives a killed engine; its shutdown noise is expected.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_provider_killed_during_up(stack_ab: Stack, control: SimulatorControl, matrix: Matrix) -> None:
    observe = matrix(
        "killed",
        "provider process SIGKILLed during up while its attach job runs",
        "up fails; the job finishes anyway; `pulumi refresh` then `pulumi up` recognise it as the "
        "resource's own attach job and adopt it (no adopt=True), no state editing",
    )
    join = _up_while_a_slow_attach_runs(stack_ab, control)
    pids = wait_for(stack_ab.provider_pids, "the provider process")
    stack_ab.kill(pids)
    with pytest.raises(Exception) as err:
        join()
    # The engine's gRPC connection to the dead provider ends with EOF, or with a reset when the
    # killed process still held unread request bytes (Linux answers a close with unread data by
    # RST, tcp_close in net/ipv4/tcp.c; RFC 2525 2.17): both are the provider lost mid-call.
    lost = re.search(r"error reading from server: (EOF|\S.*connection reset by peer)", str(err.value))
    assert lost, str(err.value)
    how = "EOF" if lost[1] == "EOF" else "connection reset by peer"
    pending = stack_ab.pending()
    observe(f"up failed ('error reading from server: {how}'); pending operations recorded: {len(pending)}")
    assert B not in stack_ab.pairs()
    wait_jobs_done(control)
    assert B in sim_pairs(control)
    # A SIGKILLed process runs no cleanup: its session stays until identity.session.timeout.
    assert control.stats()["activeSessions"] == 1
    adopts_after_the_job(stack_ab, control, observe, "this resource's own attach job")
    stats = control.stats()
    assert stats["activeSessions"] == 1 and stats["logouts"] == stats["logins"] - 1
    observe(
        f"sessions: logins {stats['logins']}, logouts {stats['logouts']}: only the killed process's "
        "session is left open (no cleanup survives SIGKILL; the node drops it after identity.session.timeout)"
    )


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_engine_killed_during_up(stack_ab: Stack, control: SimulatorControl, matrix: Matrix) -> None:
    observe = matrix(
        "killed",
        "the whole `pulumi up` (engine and provider) SIGKILLed while an attach job runs",
        "a pending create is recorded; recovery: cancel, refresh --clear-pending-creates, up (recognises "
        "its own attach job and adopts it)",
    )
    join = _up_while_a_slow_attach_runs(stack_ab, control)
    engine = wait_for(stack_ab.engine_pids, "the engine process")
    providers = stack_ab.provider_pids()
    stack_ab.kill(engine)
    stack_ab.kill(providers)  # orphaned by the engine's death
    with pytest.raises(Exception):  # noqa: B017 - the CLI died of SIGKILL
        join()
    pending = stack_ab.pending()
    assert {p["type"] for p in pending} == {"creating"}
    assert any(p["resource"]["urn"].endswith("::att-6b1a3c7e-c4d5e6f7") for p in pending)
    observe(f"up killed; pending operations: {[p['type'] for p in pending]} (including the slow attachment)")
    wait_jobs_done(control)
    assert B in sim_pairs(control)
    stack_ab.stack.cancel()
    result = stack_ab.refresh(clear_pending_creates=True)
    assert stack_ab.pending() == []
    stack_ab.up()
    assert "this resource's own attach job" in stack_ab.text()
    observe(
        f"cancel; refresh --clear-pending-creates ({dict(result.summary.resource_changes or {})}); "
        "up adopted the attachment"
    )
    observe(assert_consistent(stack_ab, control))
