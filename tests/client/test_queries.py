"""Synchronous queries against the simulator."""

from __future__ import annotations

import pytest

from pulumi_zstack.client import NotFoundError, ZStackAPIError, ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl
from tests.client.client_support import IMAGESTORE_1, SFTP_1, ZONE_1, ZONE_2, api_requests


def test_conditions_limit_start_sort(client: ZStackClient) -> None:
    assert [z.uuid for z in client.zones.query(["name=zone-2"])] == [ZONE_2]
    assert [z.name for z in client.zones.query(sort="-name")] == ["zone-2", "zone-1"]
    assert [z.name for z in client.zones.query(sort="name", limit=1)] == ["zone-1"]
    assert [z.name for z in client.zones.query(sort="+name", limit=1, start=1)] == ["zone-2"]
    assert client.zones.query(["name=zone-1", "state=Disabled"]) == []
    assert [bs.uuid for bs in client.backup_storage.query([f"attachedZoneUuids={ZONE_2}"])] == [SFTP_1]
    assert [bs.name for bs in client.backup_storage.query(["name~=%store%"])] == ["imagestore-1"]


def test_count(client: ZStackClient, control: SimulatorControl) -> None:
    assert client.zones.count() == 2
    assert client.backup_storage.count(["type=SftpBackupStorage"]) == 1
    assert (
        api_requests(control, "GET", "/backup-storage")[-1]["query"]
        == "q=type%3DSftpBackupStorage&count=true"
    )


def test_fields_keep_uuid_and_name(client: ZStackClient) -> None:
    (bs,) = client.backup_storage.query([f"uuid={IMAGESTORE_1}"], fields=["url"])
    assert (bs.uuid, bs.name, bs.url, bs.total_capacity) == (IMAGESTORE_1, "imagestore-1", "/zstack_bs", None)


def test_get(client: ZStackClient) -> None:
    zone = client.zones.get(ZONE_1)
    assert (zone.name, zone.state, zone.type) == ("zone-1", "Enabled", "zstack")
    assert zone.create_date_parsed() is not None
    bs = client.backup_storage.get(SFTP_1)
    assert bs.type == "SftpBackupStorage"
    assert bs.attached_zone_uuids == [ZONE_2]
    # The subtype fields of an Sftp backup storage, as the default seed (docs/simulator.md) has them.
    assert (bs.hostname, bs.username, bs.ssh_port) == ("192.168.100.11", "root", 22)


def test_get_unknown_uuid_is_not_found(client: ZStackClient) -> None:
    with pytest.raises(NotFoundError) as info:
        client.backup_storage.get("0" * 32)
    assert str(info.value) == (
        "QueryBackupStorage failed: SYS.1003 A resource can not be found: "
        f"backup storage[uuid:{'0' * 32}] does not exist"
    )


def test_uuids_cannot_change_the_path(client: ZStackClient, control: SimulatorControl) -> None:
    with pytest.raises(NotFoundError):
        client.zones.get("../backup-storage")
    (entry,) = api_requests(control, "GET", "/zstack/v1/zones/")  # a zone lookup, not a path walk
    assert entry["status"] == 200


def test_malformed_condition_is_a_400(client: ZStackClient) -> None:
    with pytest.raises(ZStackAPIError) as info:
        client.zones.query(["name"])
    assert info.value.status == 400
    assert info.value.code is None
    assert str(info.value).startswith("QueryZone failed: HTTP 400: ")
