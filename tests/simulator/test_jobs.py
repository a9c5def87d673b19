"""Async jobs: submit, poll, results, failures, expiry and the job headers."""

from __future__ import annotations

import time
import uuid

import requests

from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import IMAGESTORE_1_UUID, ZONE_1_UUID
from tests.simulator.zstack import ZStackHttp

ATTACH = f"/zones/{ZONE_1_UUID}/backup-storage/{IMAGESTORE_1_UUID}"


def test_job_lifecycle_202_running_then_200(zs: ZStackHttp, control: SimulatorControl) -> None:
    control.add_fault(method="POST", path="/backup-storage/", action="job_delay", seconds=0.3)
    submitted = zs.submit("POST", ATTACH)
    assert submitted.status_code == 202
    body = submitted.json()
    assert set(body) == {"location", "apiTimeout"}
    assert body["apiTimeout"] == 1800000
    job_uuid = body["location"].rsplit("/", 1)[1]
    assert body["location"] == f"{zs.api}/api-jobs/{job_uuid}"

    running = requests.get(body["location"], timeout=5)
    assert (running.status_code, running.json()) == (202, {})
    assert ZONE_1_UUID not in zs.inventories(f"/backup-storage/{IMAGESTORE_1_UUID}")[0]["attachedZoneUuids"]

    done = zs.wait(body["location"])
    assert done.status_code == 200
    assert done.json()["inventory"]["attachedZoneUuids"] == [ZONE_1_UUID]
    # The result stays available to later polls.
    assert requests.get(body["location"], timeout=5).json() == done.json()


def test_failed_job_is_503_with_error(zs: ZStackHttp) -> None:
    assert zs.attach(ZONE_1_UUID, IMAGESTORE_1_UUID).status_code == 200
    failed = zs.attach(ZONE_1_UUID, IMAGESTORE_1_UUID)
    assert failed.status_code == 503
    assert set(failed.json()) == {"error"}
    assert failed.json()["error"]["code"] == "SYS.1006"


def test_unknown_job_is_404_plain_text(zs: ZStackHttp) -> None:
    response = requests.get(f"{zs.api}/api-jobs/{uuid.uuid4().hex}", timeout=5)
    assert (response.status_code, response.text) == (404, "the job has been expired")
    assert response.headers["Content-Type"].startswith("text/plain")


def test_polling_needs_no_auth_and_only_get(zs: ZStackHttp) -> None:
    location = zs.submit("POST", ATTACH).json()["location"]
    response = requests.delete(location, timeout=5)
    assert (response.status_code, response.text) == (
        405,
        "only GET method is allowed for querying job status",
    )


def test_finished_jobs_expire() -> None:
    with SimulatorProcess(job_delay=0.01, job_expiry=0.3) as process:
        zs = ZStackHttp(process.url)
        location = zs.submit("POST", ATTACH).json()["location"]
        assert zs.wait(location).status_code == 200
        time.sleep(0.4)
        response = requests.get(location, timeout=5)
        assert (response.status_code, response.text) == (404, "the job has been expired")
        time.sleep(1.1)  # the sweeper runs every second at most
        assert SimulatorControl(process.url).jobs() == []


def test_client_chosen_job_uuid(zs: ZStackHttp) -> None:
    job_uuid = uuid.uuid4().hex
    submitted = zs.submit("POST", ATTACH, headers={**zs.auth(), "X-Job-UUID": job_uuid})
    assert submitted.json()["location"].endswith(f"/api-jobs/{job_uuid}")
    assert zs.wait(submitted.json()["location"]).status_code == 200


def test_bad_job_uuid_header_is_400_plain_text(zs: ZStackHttp, control: SimulatorControl) -> None:
    for bad in (str(uuid.uuid4()), "abc", "g" * 32):
        response = zs.submit("POST", ATTACH, headers={**zs.auth(), "X-Job-UUID": bad})
        assert response.status_code == 400
        assert response.text == "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped"
    assert control.jobs() == []


def test_duplicate_job_uuid_is_400(zs: ZStackHttp, control: SimulatorControl) -> None:
    headers = {**zs.auth(), "X-Job-UUID": uuid.uuid4().hex}
    assert zs.submit("POST", ATTACH, headers=headers).status_code == 202
    response = zs.submit("POST", ATTACH, headers=headers)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    # RestServer.java: String.format("Duplicate job uuid[%s]", jobUuid)
    assert response.text == f"Duplicate job uuid[{headers['X-Job-UUID']}]"
    assert len(control.jobs()) == 1


def test_api_timeout_header_sets_api_timeout(zs: ZStackHttp) -> None:
    response = zs.submit("POST", ATTACH, headers={**zs.auth(), "X-API-Timeout": "90"})
    assert response.json()["apiTimeout"] == 90000
    bad = zs.submit("POST", ATTACH, headers={**zs.auth(), "X-API-Timeout": "soon"})
    assert bad.status_code == 400


def test_job_longer_than_api_timeout_fails_with_sys_1001(zs: ZStackHttp, control: SimulatorControl) -> None:
    control.add_fault(method="POST", path="/backup-storage/", action="job_delay", seconds=60)
    submitted = zs.submit("POST", ATTACH, headers={**zs.auth(), "X-API-Timeout": "0.2"})
    final = zs.wait(submitted.json()["location"])
    assert final.status_code == 503
    assert final.json()["error"]["code"] == "SYS.1001"
    assert control.attachments()[-1]["zoneUuid"] != ZONE_1_UUID


def test_control_plane_reports_polls_and_timings(zs: ZStackHttp, control: SimulatorControl) -> None:
    submitted = zs.submit("POST", ATTACH)
    location = submitted.json()["location"]
    zs.wait(location)
    requests.get(location, timeout=5)
    (job,) = control.jobs()
    assert job["uuid"] == location.rsplit("/", 1)[1]
    assert job["method"] == "POST"
    assert job["path"] == f"/zstack/v1{ATTACH}"
    assert job["operation"] == "AttachBackupStorageToZone"
    assert job["status"] == "succeeded"
    assert job["polls"] >= 2
    assert job["submittedAt"] < job["finishedAt"] <= job["firstDonePollAt"]
