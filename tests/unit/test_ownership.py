"""Owner keys and derived job uuids (pulumi_zstack._ownership): what makes a job recognisably ours."""

from __future__ import annotations

import re

from pulumi_zstack._ownership import WINDOW, job_uuids, own_attach, owner_key, recent_job_uuids
from pulumi_zstack.client.jobs import JobOutcome

ZONE, BS = "6b1a3c7e2d4f4a1b9c8d7e6f5a4b3c21", "3f9d2c1b0a8e4f7d9c6b5a4e3d2c1b0a"
NOW = 1_800_000_000.0


def test_job_uuids_are_valid_x_job_uuids_stable_per_resource_and_distinct_between_owners() -> None:
    mine = owner_key("proj", "prod", "att")
    first = list(job_uuids(mine, "attach", ZONE, BS, now=NOW))
    # RestServer.java accepts a 32-character uuid without dashes.
    assert all(re.fullmatch(r"[0-9a-f]{32}", u) for u in first) and len(set(first)) == len(first)
    assert list(job_uuids(owner_key("proj", "prod", "att"), "attach", ZONE, BS, now=NOW + 1)) == first
    assert not set(job_uuids(mine, "detach", ZONE, BS, now=NOW)) & set(first)
    for other in (owner_key("proj", "staging", "att"), owner_key("proj", "prod", "att2")):
        assert not set(job_uuids(other, "attach", ZONE, BS, now=NOW)) & set(first)


def test_the_recent_windows_cover_the_current_hour_and_the_two_before() -> None:
    mine = owner_key("proj", "prod", "att")
    windows = recent_job_uuids(mine, "attach", ZONE, BS, now=NOW)
    assert windows[-1] == list(job_uuids(mine, "attach", ZONE, BS, now=NOW))
    assert windows[0] == list(job_uuids(mine, "attach", ZONE, BS, now=NOW - 2 * WINDOW))


def _job(status: str) -> JobOutcome:
    return JobOutcome("j", status, None)  # type: ignore[arg-type]


def test_the_pair_is_ours_while_we_attached_it_more_often_than_we_detached_it() -> None:
    ok, failed = _job("succeeded"), _job("failed")
    assert own_attach([ok], []) is ok
    assert own_attach([ok, failed], []) is ok  # a refused later attach changes nothing
    assert own_attach([ok], [ok]) is None  # we detached it since
    assert own_attach([ok, ok], [ok]) is not None  # attached again after our detach
    assert own_attach([failed], []) is None
    assert own_attach([], []) is None
