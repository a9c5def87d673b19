"""The batched read path: a refresh reads every backup storage with one shared, paginated scan.

Faults on that scan must cost no more than faults on one read did: a transient failure is retried,
a lasting one fails each resource with its own line and loses nothing, and objects deleted
between two refreshes are seen by the second one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_zstack.client import ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import (
    ADMIN_PASSWORD,
    IMAGESTORE_1_UUID,
    SFTP_1_UUID,
    ZONE_1_UUID,
    ZONE_2_UUID,
)
from tests.reliability.conftest import IMAGESTORE_2_UUID, ZONE_3_UUID, Matrix
from tests.reliability.harness import Stack, assert_consistent, now_of, sim_pairs, wants

pytestmark = pytest.mark.e2e

PAIRS = (
    (ZONE_1_UUID, IMAGESTORE_1_UUID),
    (ZONE_2_UUID, IMAGESTORE_1_UUID),
    (ZONE_1_UUID, SFTP_1_UUID),
    (ZONE_3_UUID, IMAGESTORE_2_UUID),
)
SCAN = "/zstack/v1/backup-storage"


@pytest.fixture
def stack(tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl) -> Stack:
    stack = Stack(tmp_path, rel_simulator.url, wants(*PAIRS))
    stack.up()
    return stack


@pytest.fixture
def client(rel_simulator: SimulatorProcess, control: SimulatorControl) -> Iterator[ZStackClient]:
    with ZStackClient(rel_simulator.url, account_name="admin", account_password=ADMIN_PASSWORD) as c:
        yield c


def _scans(control: SimulatorControl, since: float) -> list[int]:
    """The statuses of the refresh's queries of all backup storages, in order."""
    return [e["status"] for e in control.requests(since) if e["method"] == "GET" and e["path"] == SCAN]


def _reads_of_one(control: SimulatorControl, since: float) -> int:
    return sum(
        1 for e in control.requests(since) if e["method"] == "GET" and e["path"].startswith(f"{SCAN}/")
    )


def test_transient_failure_of_the_shared_scan(
    stack: Stack, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "batched reads",
        "the refresh's one query of all backup storages answers 502 twice, then works",
        "the query is retried; refresh succeeds with no change; no resource reads on its own",
    )
    control.add_fault(method="GET", path=f"{SCAN}$", action="status", status=502, count=2)
    since = now_of(control)
    result = stack.refresh(expect_no_changes=True)
    assert dict(result.summary.resource_changes or {}) == {"same": len(PAIRS) + 1}
    scans = _scans(control, since)
    assert scans == [502, 502, 200], scans
    assert _reads_of_one(control, since) == 0
    observe(f"refresh of {len(PAIRS)} attachments: queries answered {scans}, no change")
    control.clear_faults()
    observe(assert_consistent(stack, control))


def test_lasting_failure_of_the_shared_scan(stack: Stack, control: SimulatorControl, matrix: Matrix) -> None:
    observe = matrix(
        "batched reads",
        "every query of all backup storages fails with SYS.1000 during a refresh",
        "refresh fails with one line per resource naming its pair and SYS.1000; nothing leaves the stack",
    )
    control.add_fault(
        method="GET",
        path=f"{SCAN}$",
        action="status",
        status=503,
        body={"error": {"code": "SYS.1000", "description": "An internal error happened in system"}},
        count=-1,
    )
    before = stack.pairs()
    output = stack.fails("refresh")
    lines = [line for line in output.splitlines() if "cannot read backup storage" in line]
    named = {pair for pair in PAIRS if any(pair[1] in line and pair[0] in line for line in lines)}
    assert named == set(PAIRS), lines
    assert all("SYS.1000" in line for line in lines)
    assert stack.pairs() == before == set(PAIRS)
    observe(f"{len(lines)} error lines, one per pair, e.g. {lines[0].strip()[:160]}")
    observe(f"stack still holds all {len(before)} pairs")
    control.clear_faults()
    observe(assert_consistent(stack, control))


def test_backup_storage_deleted_between_two_refreshes(
    stack: Stack, control: SimulatorControl, client: ZStackClient, matrix: Matrix
) -> None:
    observe = matrix(
        "batched reads",
        "a backup storage attached to two zones is deleted out of band between two refreshes",
        "the first refresh changes nothing; the second drops exactly its two attachments",
    )
    first = stack.refresh(expect_no_changes=True)
    assert dict(first.summary.resource_changes or {}) == {"same": len(PAIRS) + 1}
    client.backup_storage.delete(IMAGESTORE_1_UUID)
    since = now_of(control)
    second = stack.refresh()
    changes = dict(second.summary.resource_changes or {})
    assert changes == {"same": 3, "delete": 2}, changes
    remaining = {pair for pair in PAIRS if pair[1] != IMAGESTORE_1_UUID}
    assert stack.pairs() == sim_pairs(control) == remaining
    observe(f"second refresh: {changes}, {len(_scans(control, since))} query of all backup storages")
    stack.wanted = wants(*sorted(remaining))
    observe(assert_consistent(stack, control))
