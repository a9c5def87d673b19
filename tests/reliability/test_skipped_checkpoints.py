"""Large stacks skip the engine's intermediate checkpoints (``PULUMI_SKIP_CHECKPOINTS=true``): the
state is written once, at the end, so a killed run leaves no record of what it did. The provider's
recognition of its own jobs makes the next run converge anyway."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import IMAGESTORE_1_UUID, SFTP_1_UUID, ZONE_1_UUID
from tests.reliability.conftest import ZONE_3_UUID, Matrix
from tests.reliability.harness import (
    Stack,
    assert_consistent,
    in_background,
    jobs_for,
    sim_pairs,
    wait_for,
    wait_jobs_done,
    wants,
)

pytestmark = pytest.mark.e2e

A, B, C = (ZONE_1_UUID, IMAGESTORE_1_UUID), (ZONE_1_UUID, SFTP_1_UUID), (ZONE_3_UUID, IMAGESTORE_1_UUID)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_killed_run_with_skipped_checkpoints(
    tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "large stacks",
        "`pulumi up` with PULUMI_SKIP_CHECKPOINTS=true SIGKILLed after two attaches finished and while "
        "a third runs",
        "the state records nothing of the run; the next `up` recognises all three attachments as its own "
        "(no adopt=True): nothing attached twice, nothing left behind",
    )
    stack = Stack(tmp_path, rel_simulator.url, wants(A, B, C), env={"PULUMI_SKIP_CHECKPOINTS": "true"})
    control.add_fault(
        method="POST", path=f"/zones/{C[0]}/backup-storage/{C[1]}$", action="job_delay", seconds=2.0
    )
    join = in_background(stack.up)
    wait_for(lambda: jobs_for(control, "POST", *C), "the slow attach job")
    wait_for(lambda: {A, B} <= sim_pairs(control), "the two fast attachments")
    stack.kill(wait_for(stack.engine_pids, "the engine process"))
    stack.kill(stack.provider_pids())
    with pytest.raises(Exception):  # noqa: B017 - the CLI died of SIGKILL
        join()
    wait_jobs_done(control)
    assert sim_pairs(control) == {A, B, C}
    assert stack.pairs() == set()
    observe("killed: ZStack has all 3 pairs attached, the stack records none of them")
    try:
        stack.stack.cancel()
    except Exception as exc:  # no update left to cancel is fine
        observe(f"`pulumi cancel`: {str(exc).splitlines()[0][:80]}")
    before = len(stack.output)
    stack.up()
    notices = [line for line in stack.output[before:] if "this resource's own attach job" in line]
    for zone, bs in (A, B, C):
        assert any(f"backup storage {bs} and zone {zone}" in line for line in notices), (zone, bs, notices)
    for pair in (A, B, C):
        # The next up's own attaches were refused by the node (SYS.1006): one attach made each pair.
        statuses = sorted(job["status"] for job in jobs_for(control, "POST", *pair))
        assert statuses == ["failed", "succeeded"], (pair, statuses)
    assert stack.pairs() == sim_pairs(control) == {A, B, C}
    observe(
        "next up adopted the 3 attachments as its own; one successful attach job per pair in all "
        "(the next up's attaches were refused, SYS.1006)"
    )
    observe(assert_consistent(stack, control))
