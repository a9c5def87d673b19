"""The /_sim control plane: request log, reset, stats and out-of-band changes."""

from __future__ import annotations

import time

import requests

from pulumi_zstack.simulator.process import SimulatorControl
from pulumi_zstack.simulator.seed import (
    ACCESS_KEY_SECRET,
    ADMIN_PASSWORD,
    IMAGESTORE_1_UUID,
    SFTP_1_UUID,
    ZONE_1_UUID,
)
from tests.simulator.zstack import ZStackHttp, sha512


def test_request_log_records_calls_without_secrets(zs: ZStackHttp, control: SimulatorControl) -> None:
    started = time.time()
    session = zs.login()
    zs.get("/zones", headers=zs.auth(session), q="name=zone-1")
    zs.get("/zones", headers=zs.access_key_headers("GET", "/zstack/v1/zones"))
    location = zs.submit(
        "POST", f"/zones/{ZONE_1_UUID}/backup-storage/{IMAGESTORE_1_UUID}", headers=zs.auth(session)
    ).json()["location"]
    requests.get(f"{zs.api}/accounts/sessions/{session}/valid", timeout=5)
    requests.delete(f"{zs.api}/accounts/sessions/{session}", timeout=5)
    requests.get(f"{control.url}/_sim/stats", timeout=5)  # control-plane calls are not logged

    log = control.requests()
    assert [(e["method"], e["path"], e["status"], e["auth"]) for e in log] == [
        ("PUT", "/zstack/v1/accounts/login", 200, "none"),
        ("GET", "/zstack/v1/zones", 200, "session"),
        ("GET", "/zstack/v1/zones", 200, "accesskey"),
        ("POST", f"/zstack/v1/zones/{ZONE_1_UUID}/backup-storage/{IMAGESTORE_1_UUID}", 202, "session"),
        ("GET", "/zstack/v1/accounts/sessions/<redacted>/valid", 200, "none"),
        ("DELETE", "/zstack/v1/accounts/sessions/<redacted>", 200, "none"),
    ]
    assert log[1]["query"] == "q=name%3Dzone-1"
    assert log[3]["jobUuid"] == location.rsplit("/", 1)[1]
    assert all(started <= e["timestamp"] <= time.time() for e in log)
    text = requests.get(f"{control.url}/_sim/requests", timeout=5).text
    for secret in (session, ADMIN_PASSWORD, sha512(ADMIN_PASSWORD), ACCESS_KEY_SECRET, "OAuth", "ZStack "):
        assert secret not in text
    assert control.requests(since=log[3]["timestamp"]) == log[4:]


def test_reset_restores_the_seed(zs: ZStackHttp, control: SimulatorControl) -> None:
    session = zs.login()
    zs.call("DELETE", f"/zones/{ZONE_1_UUID}")
    control.add_fault(path="/nothing", action="drop")
    control.reset()
    assert control.requests() == []
    assert control.jobs() == []
    assert control.faults() == []
    assert zs.get("/zones", headers=zs.auth(session)).status_code == 503  # sessions are gone
    assert len(ZStackHttp(zs.url).inventories("/zones")) == 2
    assert [(a["zoneUuid"], a["backupStorageUuid"]) for a in control.attachments()] == [
        ("8e2f4b6a1c3d4e5f8a7b6c5d4e3f2a10", SFTP_1_UUID)
    ]


def test_patch_backup_storage(zs: ZStackHttp, control: SimulatorControl) -> None:
    inventory = control.patch_backup_storage(IMAGESTORE_1_UUID, availableCapacity=1, status="Disconnected")
    assert (inventory["availableCapacity"], inventory["status"]) == (1, "Disconnected")
    (queried,) = zs.inventories(f"/backup-storage/{IMAGESTORE_1_UUID}")
    assert (queried["availableCapacity"], queried["status"]) == (1, "Disconnected")
    for fields in ({"uuid": "x"}, {"availableCapacity": "lots"}, {"colour": "red"}):
        response = requests.patch(
            f"{control.url}/_sim/backup-storage/{IMAGESTORE_1_UUID}", json=fields, timeout=5
        )
        assert response.status_code == 400
    response = requests.patch(f"{control.url}/_sim/backup-storage/{'0' * 32}", json={}, timeout=5)
    assert response.status_code == 404


def test_stats(zs: ZStackHttp, control: SimulatorControl) -> None:
    zs.login()
    zs.login_response(password="wrong")
    zs.get("/zones")
    zs.get(f"/zones/{ZONE_1_UUID}")
    stats = control.stats()
    assert (stats["logins"], stats["failedLogins"], stats["activeSessions"]) == (2, 1, 2)
    assert stats["requestsByPath"] == {
        "PUT /zstack/v1/accounts/login": 3,
        "GET /zstack/v1/zones": 1,
        "GET /zstack/v1/zones/{uuid}": 1,
    }
    assert stats["requests"] == 5
