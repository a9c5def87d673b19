"""Fault injection through the control plane."""

from __future__ import annotations

import time

import pytest
import requests

from pulumi_zstack.simulator.process import SimulatorControl
from pulumi_zstack.simulator.seed import IMAGESTORE_1_UUID, ZONE_1_UUID
from tests.simulator.zstack import ZStackHttp

ATTACH = f"/zones/{ZONE_1_UUID}/backup-storage/{IMAGESTORE_1_UUID}"


def test_status_fault_answers_without_processing(zs: ZStackHttp, control: SimulatorControl) -> None:
    control.add_fault(method="POST", path="/backup-storage/", action="status", status=500, body="boom")
    response = zs.submit("POST", ATTACH)
    assert (response.status_code, response.text) == (500, "boom")
    assert control.jobs() == []
    control.add_fault(method="GET", path="/zones$", action="status", status=502, body={"error": "proxy"})
    response = zs.get("/zones")
    assert (response.status_code, response.json()) == (502, {"error": "proxy"})
    control.add_fault(path="/zones$", action="status", status=503)
    response = zs.get("/zones")
    assert (response.status_code, response.text) == (503, "")


def test_fault_count_and_method_matching(zs: ZStackHttp, control: SimulatorControl) -> None:
    control.add_fault(method="GET", path="/zones", action="status", status=500, count=2)
    assert zs.submit("POST", "/zones", json={"params": {"name": "z"}}).status_code == 202  # POST: no match
    assert [zs.get("/zones").status_code for _ in range(3)] == [500, 500, 200]
    assert control.faults() == []


def test_fault_until_cleared(zs: ZStackHttp, control: SimulatorControl) -> None:
    fault_id = control.add_fault(path="/zones", action="status", status=500, count=-1)
    assert control.faults()[0]["id"] == fault_id
    assert [zs.get("/zones").status_code for _ in range(4)] == [500] * 4
    control.clear_faults()
    assert zs.get("/zones").status_code == 200


def test_delay_fault(zs: ZStackHttp, control: SimulatorControl) -> None:
    control.add_fault(method="GET", path="/zones", action="delay", seconds=0.3)
    started = time.monotonic()
    assert zs.get("/zones").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_drop_fault_processes_then_drops(zs: ZStackHttp, control: SimulatorControl) -> None:
    control.add_fault(method="POST", path="/backup-storage/", action="drop")
    with pytest.raises(requests.ConnectionError):
        zs.submit("POST", ATTACH)
    (job,) = control.jobs()
    assert zs.wait(f"{zs.api}/api-jobs/{job['uuid']}").status_code == 200
    (logged,) = [e for e in control.requests() if e["method"] == "POST"]
    assert (logged["status"], logged["fault"], logged["jobUuid"]) == (202, "drop", job["uuid"])


def test_drop_before_fault_does_not_process(zs: ZStackHttp, control: SimulatorControl) -> None:
    control.add_fault(method="POST", path="/backup-storage/", action="drop_before")
    with pytest.raises(requests.ConnectionError):
        zs.submit("POST", ATTACH)
    assert control.jobs() == []


def test_job_error_fault(zs: ZStackHttp, control: SimulatorControl) -> None:
    control.add_fault(
        method="POST",
        path="/backup-storage/",
        action="job_error",
        code="BS.1001",
        details="storage agent unreachable",
    )
    failed = zs.attach(ZONE_1_UUID, IMAGESTORE_1_UUID)
    assert failed.status_code == 503
    assert failed.json() == {
        "error": {
            "code": "BS.1001",
            "description": "Unable to attach backup storage to zone",
            "details": "storage agent unreachable",
        }
    }
    assert ZONE_1_UUID not in {a["zoneUuid"] for a in control.attachments()}


def test_job_delay_fault(zs: ZStackHttp, control: SimulatorControl) -> None:
    control.add_fault(method="POST", path="/backup-storage/", action="job_delay", seconds=3600)
    location = zs.submit("POST", ATTACH).json()["location"]
    time.sleep(0.2)
    assert requests.get(location, timeout=5).status_code == 202
    assert control.jobs()[0]["status"] == "running"


def test_expire_session_fault(zs: ZStackHttp, control: SimulatorControl) -> None:
    session = zs.login()
    control.add_fault(method="GET", path="/zones", action="expire_session")
    response = zs.get("/zones", headers=zs.auth(session))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "ID.1001"
    assert requests.get(f"{zs.api}/accounts/sessions/{session}/valid", timeout=5).json() == {"valid": False}


@pytest.mark.parametrize(
    "spec",
    [
        {"action": "explode"},
        {"action": "status"},
        {"action": "delay"},
        {"action": "job_error"},
        {"action": "drop", "path": "("},
        {"action": "drop", "count": 0},
        {"action": "drop", "colour": "red"},
    ],
)
def test_invalid_fault_is_400(
    sim_process: object, control: SimulatorControl, spec: dict[str, object]
) -> None:
    response = requests.post(f"{control.url}/_sim/faults", json=spec, timeout=5)
    assert response.status_code == 400
    assert "error" in response.json()
