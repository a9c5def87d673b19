"""Jobs submitted with caller-derived uuids, and asking the node what became of them."""

from __future__ import annotations

import threading
import uuid

from pulumi_zstack.client import ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl
from pulumi_zstack.simulator.seed import IMAGESTORE_1_UUID, ZONE_1_UUID

CHAIN = [uuid.uuid4().hex for _ in range(4)]


def test_spent_uuids_are_skipped_and_outcomes_list_the_jobs_in_order(
    client: ZStackClient, control: SimulatorControl
) -> None:
    client.backup_storage.attach_to_zone(ZONE_1_UUID, IMAGESTORE_1_UUID, job_uuids=CHAIN)
    client.backup_storage.detach_from_zone(ZONE_1_UUID, IMAGESTORE_1_UUID, job_uuids=CHAIN)
    # Each call took the first uuid the node holds no job of (RestServer.java: "Duplicate job uuid").
    assert [j["uuid"] for j in control.jobs()] == CHAIN[:2]
    outcomes = client.jobs.outcomes(CHAIN)
    assert [(o.job_uuid, o.status) for o in outcomes] == [(CHAIN[0], "succeeded"), (CHAIN[1], "succeeded")]
    assert outcomes[0].result is not None and outcomes[0].result["inventory"]["attachedZoneUuids"] == [
        ZONE_1_UUID
    ]
    assert outcomes[1].result is not None and outcomes[1].result["inventory"]["attachedZoneUuids"] == []


def test_an_earlier_submit_still_running_is_awaited_not_repeated(
    client: ZStackClient, control: SimulatorControl
) -> None:
    control.add_fault(method="POST", path="/backup-storage/", action="job_delay", seconds=1.0, count=1)
    first = threading.Thread(
        target=client.backup_storage.attach_to_zone,
        args=(ZONE_1_UUID, IMAGESTORE_1_UUID),
        kwargs={"job_uuids": CHAIN},
    )
    first.start()
    while not control.jobs():
        threading.Event().wait(0.01)
    inventory = client.backup_storage.attach_to_zone(ZONE_1_UUID, IMAGESTORE_1_UUID, job_uuids=CHAIN)
    first.join()
    assert inventory.attached_zone_uuids == [ZONE_1_UUID]
    assert [j["uuid"] for j in control.jobs()] == CHAIN[:1]


def test_outcomes_stop_at_the_first_job_the_node_does_not_know(client: ZStackClient) -> None:
    assert client.jobs.outcomes(CHAIN) == []
