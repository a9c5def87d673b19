"""Attach / detach and the create / delete operations, checked in the management node's order."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from pulumi_zstack.simulator.process import SimulatorControl
from pulumi_zstack.simulator.seed import IMAGESTORE_1_UUID, SFTP_1_UUID, ZONE_1_UUID, ZONE_2_UUID
from tests.simulator.zstack import ZStackHttp

MISSING = "0" * 32


def _error(response: object) -> dict[str, str]:
    assert getattr(response, "status_code", None) == 503
    error: dict[str, str] = response.json()["error"]  # type: ignore[attr-defined]
    return error


def test_attach_then_detach(zs: ZStackHttp, control: SimulatorControl) -> None:
    before = zs.inventories(f"/backup-storage/{IMAGESTORE_1_UUID}")[0]
    time.sleep(1.0)  # Gson dates have a one-second resolution
    attached = zs.attach(
        ZONE_1_UUID, IMAGESTORE_1_UUID, json={"params": {}, "systemTags": ["s::1"], "userTags": ["u"]}
    )
    assert attached.status_code == 200
    inventory = attached.json()["inventory"]
    assert inventory["attachedZoneUuids"] == [ZONE_1_UUID]
    # Only a BackupStorageZoneRefVO is written (BackupStorageBase.java): the storage's dates stay.
    assert (inventory["lastOpDate"], inventory["createDate"]) == (before["lastOpDate"], before["createDate"])
    # The tags of an attach are neither validated nor stored (TagManagerImpl: create messages only).
    assert control.attachments()[-1].keys() == {"zoneUuid", "backupStorageUuid", "createDate"}
    (submit,) = [r for r in control.requests() if r["method"] == "POST"]
    assert (submit["systemTags"], submit["userTags"]) == (["s::1"], ["u"])  # only the log shows them

    detached = zs.detach(ZONE_1_UUID, IMAGESTORE_1_UUID)
    assert detached.status_code == 200
    assert detached.json()["inventory"]["attachedZoneUuids"] == []
    assert detached.json()["inventory"]["lastOpDate"] == before["lastOpDate"]
    assert [a["backupStorageUuid"] for a in control.attachments()] == [SFTP_1_UUID]


def test_attach_accepts_an_empty_body(zs: ZStackHttp) -> None:
    assert zs.attach(ZONE_1_UUID, IMAGESTORE_1_UUID).status_code == 200
    assert zs.attach(ZONE_1_UUID, SFTP_1_UUID, json={"params": {}}).status_code == 200
    assert zs.inventories(f"/backup-storage/{SFTP_1_UUID}")[0]["attachedZoneUuids"] == [
        ZONE_2_UUID,
        ZONE_1_UUID,
    ]


def test_duplicate_attach_is_sys_1006(zs: ZStackHttp) -> None:
    assert _error(zs.attach(ZONE_2_UUID, SFTP_1_UUID)) == {
        "code": "SYS.1006",
        "description": "An operation failed",
        "details": f"backup storage[uuid:{SFTP_1_UUID}] has been attached to zone[uuid:{ZONE_2_UUID}]",
    }


def test_detach_of_a_detached_pair_is_sys_1006(zs: ZStackHttp) -> None:
    assert _error(zs.detach(ZONE_1_UUID, IMAGESTORE_1_UUID)) == {
        "code": "SYS.1006",
        "description": "An operation failed",
        "details": f"backup storage[uuid:{IMAGESTORE_1_UUID}] has not been attached"
        f" to zone[uuid:{ZONE_1_UUID}]",
    }


def test_missing_zone_or_backup_storage_is_sys_1003(zs: ZStackHttp) -> None:
    assert _error(zs.attach(MISSING, IMAGESTORE_1_UUID)) == {
        "code": "SYS.1003",
        "description": "A resource can not be found",
        # portal/.../PortApiValidator.java
        "details": f"invalid field[zoneUuid], resource[uuid:{MISSING}, type:ZoneVO] not found",
    }
    assert _error(zs.detach(ZONE_1_UUID, MISSING))["details"] == (
        f"invalid field[backupStorageUuid], resource[uuid:{MISSING}, type:BackupStorageVO] not found"
    )


def test_order_of_checks(zs: ZStackHttp, control: SimulatorControl) -> None:
    bad_session = zs.auth("1" * 32)
    # Existence comes before the session ...
    assert _error(zs.attach(MISSING, IMAGESTORE_1_UUID, headers=bad_session))["code"] == "SYS.1003"
    # ... the session before the attachment state ...
    assert _error(zs.attach(ZONE_2_UUID, SFTP_1_UUID, headers=bad_session))["code"] == "ID.1001"
    # ... and the attachment state before a failure of the storage itself.
    control.add_fault(path="/backup-storage/", action="job_error", code="BS.1001")
    assert _error(zs.attach(ZONE_2_UUID, SFTP_1_UUID))["code"] == "SYS.1006"


def test_checks_run_when_the_call_is_submitted(zs: ZStackHttp, control: SimulatorControl) -> None:
    # The node's API interceptors (PortApiValidator, BackupStorageApiInterceptor) run when the
    # message is submitted; their failure is the job's result, whatever the job would take.
    control.add_fault(method="POST", path="/backup-storage/", action="job_delay", seconds=60)
    refused = zs.submit("POST", f"/zones/{ZONE_2_UUID}/backup-storage/{SFTP_1_UUID}")
    assert refused.status_code == 202
    assert _error(zs.wait(refused.json()["location"]))["code"] == "SYS.1006"


def test_a_pair_attached_after_the_checks_is_attached_once(zs: ZStackHttp, control: SimulatorControl) -> None:
    # Both attaches pass their checks at submit; the later one finishes first; the node's handler
    # does not check again, so both succeed and the pair is listed once (BackupStorageInventory).
    control.add_fault(method="POST", path="/backup-storage/", action="job_delay", seconds=0.3)
    first = zs.submit("POST", f"/zones/{ZONE_1_UUID}/backup-storage/{IMAGESTORE_1_UUID}")
    assert zs.attach(ZONE_1_UUID, IMAGESTORE_1_UUID).status_code == 200
    finished = zs.wait(first.json()["location"])
    assert finished.status_code == 200
    assert finished.json()["inventory"]["attachedZoneUuids"] == [ZONE_1_UUID]


def test_delete_zone_removes_its_attachments(zs: ZStackHttp, control: SimulatorControl) -> None:
    deleted = zs.call("DELETE", f"/zones/{ZONE_2_UUID}")
    assert (deleted.status_code, deleted.json()) == (200, {})
    assert zs.inventories(f"/zones/{ZONE_2_UUID}") == []
    assert zs.inventories(f"/backup-storage/{SFTP_1_UUID}")[0]["attachedZoneUuids"] == []
    assert control.attachments() == []


def test_delete_backup_storage_removes_its_attachments(zs: ZStackHttp, control: SimulatorControl) -> None:
    assert zs.call("DELETE", f"/backup-storage/{SFTP_1_UUID}").json() == {}
    assert zs.inventories(f"/backup-storage/{SFTP_1_UUID}") == []
    assert control.attachments() == []


def test_deleting_a_missing_resource_succeeds(zs: ZStackHttp) -> None:
    assert zs.call("DELETE", f"/zones/{MISSING}").status_code == 200
    assert zs.call("DELETE", f"/backup-storage/{MISSING}").status_code == 200


def test_create_zone(zs: ZStackHttp) -> None:
    created = zs.call("POST", "/zones", json={"params": {"name": "zone-3", "description": "third"}})
    assert created.status_code == 200
    inventory = created.json()["inventory"]
    assert {k: inventory[k] for k in ("name", "description", "state", "type", "isDefault")} == {
        "name": "zone-3",
        "description": "third",
        "state": "Enabled",
        "type": "zstack",
        "isDefault": False,
    }
    assert zs.inventories(f"/zones/{inventory['uuid']}") == [inventory]


def test_create_zone_without_name_is_sys_1007(zs: ZStackHttp) -> None:
    error = _error(zs.call("POST", "/zones", json={"params": {"description": "no name"}}))
    assert error["code"] == "SYS.1007"
    assert error["description"] == "One or more API argument is invalid"


def test_add_backup_storages(zs: ZStackHttp) -> None:
    params = {
        "name": "is-2",
        "url": "/bs2",
        "hostname": "192.168.100.20",
        "username": "root",
        "password": "secret-pw",
        "sshPort": 2222,
    }
    for path, bs_type in (
        ("/backup-storage/image-store", "ImageStoreBackupStorage"),
        ("/backup-storage/sftp", "SftpBackupStorage"),
    ):
        added = zs.call("POST", path, json={"params": params})
        assert added.status_code == 200
        inventory = added.json()["inventory"]
        assert inventory["type"] == bs_type
        assert (inventory["hostname"], inventory["sshPort"], inventory["attachedZoneUuids"]) == (
            "192.168.100.20",
            2222,
            [],
        )
        assert "password" not in inventory
        assert "secret-pw" not in str(zs.inventories(f"/backup-storage/{inventory['uuid']}"))
    missing = zs.call("POST", "/backup-storage/sftp", json={"params": {"name": "x"}})
    assert _error(missing)["code"] == "SYS.1007"


def test_concurrent_attaches(zs: ZStackHttp, control: SimulatorControl) -> None:
    zones = [
        zs.call("POST", "/zones", json={"params": {"name": f"cz-{i}"}}).json()["inventory"]["uuid"]
        for i in range(10)
    ]
    pairs = [(zone, bs) for zone in zones for bs in (IMAGESTORE_1_UUID, SFTP_1_UUID)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda pair: zs.attach(*pair).status_code, pairs))
    assert results == [200] * len(pairs)
    attached = {(a["zoneUuid"], a["backupStorageUuid"]) for a in control.attachments()}
    assert set(pairs) <= attached
    for bs in (IMAGESTORE_1_UUID, SFTP_1_UUID):
        assert set(zones) <= set(zs.inventories(f"/backup-storage/{bs}")[0]["attachedZoneUuids"])


def test_attached_zone_uuids_are_not_in_attach_order(zs: ZStackHttp) -> None:
    # BackupStorageVO.attachedZoneRefs is a HashSet: the node lists the zones in no set order.
    zones = ["c" * 32, "a" * 32, ZONE_1_UUID, "b" * 32]
    for zone in zones:
        if zone != ZONE_1_UUID:
            zs.call("POST", "/zones", json={"params": {"name": zone[:4], "resourceUuid": zone}})
        assert zs.attach(zone, IMAGESTORE_1_UUID).status_code == 200
    listed = zs.inventories(f"/backup-storage/{IMAGESTORE_1_UUID}")[0]["attachedZoneUuids"]
    assert sorted(listed) == sorted(zones)
    assert listed not in (zones, sorted(zones))
    assert zs.inventories("/backup-storage", q=f"uuid={IMAGESTORE_1_UUID}")[0]["attachedZoneUuids"] == listed
