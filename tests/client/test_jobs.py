"""Async calls against the simulator: submit, poll, results and job errors."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable

import pytest

from pulumi_zstack.client import (
    JobExpiredError,
    JobFailedError,
    JobTimeoutError,
    NotFoundError,
    PollPolicy,
    ZStackClient,
)
from pulumi_zstack.client.jobs import SHARED_HISTORY
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from tests.client.client_support import IMAGESTORE_1, SFTP_1, ZONE_1, ZONE_2, api_requests

MakeClient = Callable[..., ZStackClient]


def test_attach_and_detach(client: ZStackClient, control: SimulatorControl) -> None:
    attached = client.backup_storage.attach_to_zone(
        ZONE_1, IMAGESTORE_1, system_tags=["a::b"], user_tags=["u"]
    )
    assert attached.uuid == IMAGESTORE_1
    assert attached.attached_zone_uuids == [ZONE_1]
    detached = client.backup_storage.detach_from_zone(ZONE_1, IMAGESTORE_1)
    assert detached.attached_zone_uuids == []
    (submit,) = api_requests(control, "POST", "/backup-storage/")
    assert submit["status"] == 202
    assert len(submit["jobUuid"]) == 32
    assert (submit["systemTags"], submit["userTags"]) == (["a::b"], ["u"])


def test_attach_twice_is_a_sys_1006_job_failure(client: ZStackClient) -> None:
    with pytest.raises(JobFailedError) as info:
        client.backup_storage.attach_to_zone(ZONE_2, SFTP_1)
    exc = info.value
    assert (exc.code, exc.status, exc.operation) == ("SYS.1006", 503, "AttachBackupStorageToZone")
    assert exc.job_uuid is not None
    assert str(exc) == (
        "AttachBackupStorageToZone failed: SYS.1006 An operation failed: "
        f"backup storage[uuid:{SFTP_1}] has been attached to zone[uuid:{ZONE_2}]"
    )


def test_detach_of_a_pair_not_attached(client: ZStackClient) -> None:
    with pytest.raises(JobFailedError) as info:
        client.backup_storage.detach_from_zone(ZONE_1, IMAGESTORE_1)
    assert (info.value.code, info.value.operation) == ("SYS.1006", "DetachBackupStorageFromZone")
    assert "has not been attached" in str(info.value)


def test_attach_to_an_unknown_zone(client: ZStackClient) -> None:
    with pytest.raises(NotFoundError) as info:
        client.backup_storage.attach_to_zone("0" * 32, IMAGESTORE_1)
    assert info.value.code == "SYS.1003"
    assert info.value.job_uuid is not None


def test_other_job_failures(client: ZStackClient, control: SimulatorControl) -> None:
    control.add_fault(
        method="POST",
        path="/backup-storage/",
        action="job_error",
        code="BS.1001",
        details="agent on 192.168.100.10 unreachable",
    )
    with pytest.raises(JobFailedError) as info:
        client.backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)
    assert info.value.code == "BS.1001"
    assert str(info.value).endswith(": agent on 192.168.100.10 unreachable")


def test_job_timeout(make_client: MakeClient, control: SimulatorControl) -> None:
    client = make_client(job_timeout=0.3)
    control.add_fault(method="POST", path="/backup-storage/", action="job_delay", seconds=5)
    with pytest.raises(JobTimeoutError) as info:
        client.backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)
    (job,) = control.jobs()
    assert info.value.job_uuid == job["uuid"]
    assert job["status"] == "running"
    assert str(info.value) == (
        f"AttachBackupStorageToZone job {job['uuid']} still running after 0.3s; it may still finish "
        "on the server: query the resource to see its outcome"
    )


def test_the_job_deadline_is_capped_by_the_nodes_api_timeout(
    make_client: MakeClient, control: SimulatorControl, simulator: SimulatorProcess
) -> None:
    # Every submit answers the node's apiTimeout (ms); the node gives the job up then, so the client
    # waits min(job_timeout, apiTimeout): here 0.3 s, not the 30 s asked for.
    client = make_client(job_timeout=30)
    job = "f" * 32
    accepted = {"location": f"{simulator.url}/zstack/v1/api-jobs/{job}", "apiTimeout": 300}
    control.add_fault(method="POST", path="/backup-storage/", action="status", status=202, body=accepted)
    control.add_fault(method="GET", path=f"/api-jobs/{job}", action="status", status=202, body={}, count=-1)
    with pytest.raises(JobTimeoutError) as info:
        client.backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)
    assert (info.value.job_uuid, info.value.timeout) == (job, 0.3)


def test_expired_job_means_unknown_outcome(client: ZStackClient, control: SimulatorControl) -> None:
    control.add_fault(
        method="GET", path="/api-jobs/", action="status", status=404, body="the job has been expired"
    )
    with pytest.raises(JobExpiredError) as info:
        client.zones.create("zone-3")
    assert "outcome is unknown" in str(info.value)
    assert info.value.operation == "CreateZone"


def test_create_and_delete_zone(client: ZStackClient) -> None:
    zone = client.zones.create("zone-3", description="third")
    assert (zone.name, zone.description, zone.state) == ("zone-3", "third", "Enabled")
    assert len(zone.uuid) == 32
    assert client.zones.get(zone.uuid) == zone
    client.zones.delete(zone.uuid)
    with pytest.raises(NotFoundError):
        client.zones.get(zone.uuid)


@pytest.mark.parametrize("kind", ["image_store", "sftp"])
def test_add_and_delete_backup_storage(client: ZStackClient, kind: str) -> None:
    add = client.backup_storage.add_image_store if kind == "image_store" else client.backup_storage.add_sftp
    bs = add(
        name=f"new-{kind}",
        url="/bs",
        hostname="10.0.0.9",
        username="root",
        password="pw-" + kind,
        ssh_port=2222,
    )
    assert bs.type == ("ImageStoreBackupStorage" if kind == "image_store" else "SftpBackupStorage")
    assert (bs.hostname, bs.username, bs.ssh_port, bs.attached_zone_uuids) == ("10.0.0.9", "root", 2222, [])
    client.backup_storage.attach_to_zone(ZONE_1, bs.uuid)
    client.backup_storage.delete(bs.uuid)
    assert client.backup_storage.count([f"uuid={bs.uuid}"]) == 0


def test_polls_are_few_and_timely_once_the_duration_is_learned(
    client: ZStackClient, control: SimulatorControl
) -> None:
    for _ in range(12):
        client.zones.create("z")
    jobs = control.jobs()[4:]
    assert statistics.mean(job["polls"] for job in jobs) <= 3
    # Generous bound: the benchmark measures the real targets; this only catches a broken schedule.
    assert max(job["firstDonePollAt"] - job["finishedAt"] for job in jobs) < 0.2


def test_a_policy_that_does_not_learn_polls_on_its_fixed_schedule(
    make_client: MakeClient, control: SimulatorControl, simulator: SimulatorProcess
) -> None:
    learner = make_client()
    for _ in range(3):  # teach the shared history that these jobs take ~0.05 s
        learner.backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)
        learner.backup_storage.detach_from_zone(ZONE_1, IMAGESTORE_1)
    key = (f"{simulator.url}/zstack", "AttachBackupStorageToZone")
    learned = SHARED_HISTORY.get(key)
    assert learned is not None

    fixed = PollPolicy(
        initial_interval=0.3, multiplier=1.0, max_interval=0.3, min_interval=0.3, jitter=0.0, learn=False
    )
    make_client(poll_policy=fixed).backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)
    job = [j for j in control.jobs() if j["operation"] == "AttachBackupStorageToZone"][-1]
    assert job["polls"] == 1  # one poll after 0.3 s, not aimed at the learned ~0.05 s finish
    assert job["firstDonePollAt"] - job["submittedAt"] >= 0.3
    assert SHARED_HISTORY.get(key) is learned  # nothing learned from it


def test_a_job_started_without_history_aims_by_the_newest_estimate_before_its_first_aimed_poll(
    make_client: MakeClient,
) -> None:
    """A first-wave job learns a rough estimate from a concurrent job, then a precise one
    before its first aimed poll (here both are taught to the process's history by hand, as
    two other jobs of the operation finishing would): it polls by the precise one."""
    with SimulatorProcess(job_delay=0.3) as sim:  # a new endpoint: the process has no history of it
        control = SimulatorControl(sim.url)
        try:
            client = make_client(endpoint=sim.url)
            client.zones.query()  # logged in: the create below is only its submit and polls
            key, policy = (f"{sim.url}/zstack", "CreateZone"), PollPolicy()
            assert SHARED_HISTORY.get(key) is None
            creating = threading.Thread(target=client.zones.create, args=("z",))
            creating.start()
            while not control.jobs():
                time.sleep(0.005)
            time.sleep(0.1)
            # A job bracketed between 0.5 and 1.5 s: by it, the first aimed poll is at 0.5 s.
            SHARED_HISTORY.observe(key, 0.5, 1.5, policy)
            time.sleep(0.1)
            SHARED_HISTORY.observe(key, 0.299, 0.301, policy)  # one seen to take 0.3 s
            creating.join()
            (job,) = control.jobs()
        finally:
            control.close()
    # By the rough estimate alone it would be noticed about 0.2 s late.
    assert job["firstDonePollAt"] - job["finishedAt"] < 0.06  # polls 30 ms apart from 0.2 s on


def test_a_first_wave_job_does_not_poll_before_an_earlier_job_of_its_operation_was_seen_running(
    make_client: MakeClient,
) -> None:
    """Before any job of an operation has finished, a job submitted 0.25 s after another one
    (the engine, busy saving its state, can spread a wave that much) does not poll at an age
    at which the other was already seen running: of two 0.4 s jobs, the later one is not done
    before that either."""
    with SimulatorProcess(job_delay=0.4) as sim:  # a new endpoint: the process has no history of it
        control = SimulatorControl(sim.url)
        try:
            client = make_client(endpoint=sim.url)
            client.zones.query()  # logged in: the creates below are only their submits and polls
            first = threading.Thread(target=client.zones.create, args=("a",))
            first.start()
            time.sleep(0.25)
            client.zones.create("b")
            first.join()
            early, late = sorted(control.jobs(), key=lambda job: job["submittedAt"])
            polls = {
                job["uuid"]: [entry["timestamp"] for entry in api_requests(control, "GET", job["uuid"])]
                for job in (early, late)
            }
        finally:
            control.close()
    seen_running = max(t for t in polls[early["uuid"]] if t < late["submittedAt"]) - early["submittedAt"]
    assert min(polls[late["uuid"]]) - late["submittedAt"] >= seen_running
    # (On its own no-history grid from its submit it polled 7-8 times, 3-5 now.) It still
    # notices its finish in time.
    assert late["firstDonePollAt"] - late["finishedAt"] < 0.06
