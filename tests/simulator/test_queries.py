"""Queries: inventory shapes, every q operator, paging, sorting, counting, projections, errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pulumi_zstack.simulator.seed import IMAGESTORE_1_UUID, SFTP_1_UUID, ZONE_1_UUID, ZONE_2_UUID
from tests.simulator.zstack import ZStackHttp

GSON_DATE = re.compile(r"[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M")


def test_backup_storage_inventory_shape(zs: ZStackHttp) -> None:
    response = zs.get(f"/backup-storage/{SFTP_1_UUID}")
    assert response.status_code == 200
    (inventory,) = response.json()["inventories"]
    dates = {k: inventory.pop(k) for k in ("createDate", "lastOpDate")}
    assert all(GSON_DATE.fullmatch(d) for d in dates.values())
    assert inventory == {
        "uuid": SFTP_1_UUID,
        "name": "sftp-1",
        "url": "/sftp_bs",
        "totalCapacity": 549755813888,
        "availableCapacity": 274877906944,
        "type": "SftpBackupStorage",
        "state": "Enabled",
        "status": "Connected",
        "attachedZoneUuids": [ZONE_2_UUID],
        "hostname": "192.168.100.11",
        "username": "root",
        "sshPort": 22,
    }
    assert "description" not in inventory  # null fields are omitted
    assert response.json()["schema"] == {
        "inventories[0]": "org.zstack.storage.backup.sftp.SftpBackupStorageInventory"
    }


def test_zone_inventory_shape(zs: ZStackHttp) -> None:
    (inventory,) = zs.inventories(f"/zones/{ZONE_1_UUID}")
    assert set(inventory) == {
        "uuid",
        "name",
        "description",
        "state",
        "type",
        "isDefault",
        "createDate",
        "lastOpDate",
    }
    assert (inventory["name"], inventory["state"], inventory["type"], inventory["isDefault"]) == (
        "zone-1",
        "Enabled",
        "zstack",
        False,
    )


def test_imagestore_inventory(zs: ZStackHttp) -> None:
    (inventory,) = zs.inventories(f"/backup-storage/{IMAGESTORE_1_UUID}")
    assert inventory["type"] == "ImageStoreBackupStorage"
    assert inventory["hostname"] == "192.168.100.10"
    assert (inventory["totalCapacity"], inventory["availableCapacity"]) == (1099511627776, 824633720832)
    assert inventory["attachedZoneUuids"] == []


def test_unknown_uuid_is_an_empty_list(zs: ZStackHttp) -> None:
    for path in (f"/zones/{'0' * 32}", f"/backup-storage/{'0' * 32}"):
        response = zs.get(path)
        assert (response.status_code, response.json()["inventories"]) == (200, [])


def _names(zs: ZStackHttp, path: str, *conditions: str) -> list[str]:
    return sorted(i["name"] for i in zs.inventories(path, q=list(conditions)))


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("name=sftp-1", ["sftp-1"]),
        ("name!=sftp-1", ["imagestore-1"]),
        ("totalCapacity>549755813888", ["imagestore-1"]),
        ("totalCapacity<1099511627776", ["sftp-1"]),
        ("availableCapacity>=274877906944", ["imagestore-1", "sftp-1"]),
        ("availableCapacity<=274877906944", ["sftp-1"]),
        ("name?=sftp-1,other", ["sftp-1"]),
        ("name!?=sftp-1,other", ["imagestore-1"]),
        ("name~=image%", ["imagestore-1"]),
        ("name~=sftp_1", ["sftp-1"]),
        ("name!~=%store%", ["sftp-1"]),
        ("description is null", ["imagestore-1", "sftp-1"]),
        ("hostname not null", ["imagestore-1", "sftp-1"]),
        ("description not null", []),
        (f"attachedZoneUuids={ZONE_2_UUID}", ["sftp-1"]),
        (f"attachedZoneUuids!={ZONE_2_UUID}", ["imagestore-1"]),
        (f"attachedZoneUuids?={ZONE_1_UUID},{ZONE_2_UUID}", ["sftp-1"]),
        ("attachedZoneUuids is null", ["imagestore-1"]),
        ("attachedZoneUuids not null", ["sftp-1"]),
        ("type=SftpBackupStorage", ["sftp-1"]),
    ],
)
def test_query_operators(zs: ZStackHttp, condition: str, expected: list[str]) -> None:
    assert _names(zs, "/backup-storage", condition) == expected


def test_conditions_are_anded(zs: ZStackHttp) -> None:
    assert _names(zs, "/backup-storage", "state=Enabled", "name~=%1") == ["imagestore-1", "sftp-1"]
    assert _names(zs, "/backup-storage", "state=Enabled", "name=sftp-1", "status=Disconnected") == []


def test_boolean_and_date_conditions(zs: ZStackHttp) -> None:
    assert _names(zs, "/zones", "isDefault=false") == ["zone-1", "zone-2"]
    assert _names(zs, "/zones", "createDate>2000-01-01 00:00:00") == ["zone-1", "zone-2"]


def test_sort_limit_start(zs: ZStackHttp) -> None:
    assert [z["name"] for z in zs.inventories("/zones", sort="-name")] == ["zone-2", "zone-1"]
    assert [z["name"] for z in zs.inventories("/zones", sort="+name")] == ["zone-1", "zone-2"]
    assert [z["name"] for z in zs.inventories("/zones", sort="+name", limit=1)] == ["zone-1"]
    assert [z["name"] for z in zs.inventories("/zones", sort="+name", limit=1, start=1)] == ["zone-2"]
    assert zs.inventories("/zones", start=5) == []


def test_count_and_reply_with_count(zs: ZStackHttp) -> None:
    assert zs.get("/backup-storage", count="true").json() == {"total": 2}
    assert zs.get("/backup-storage", count="true", q="name=sftp-1").json() == {"total": 1}
    body = zs.get("/zones", replyWithCount="true", limit=1).json()
    assert body["total"] == 2
    assert len(body["inventories"]) == 1


def test_fields_projection(zs: ZStackHttp) -> None:
    inventories = zs.inventories("/backup-storage", fields="uuid,name", sort="+name")
    assert inventories == [
        {"uuid": IMAGESTORE_1_UUID, "name": "imagestore-1"},
        {"uuid": SFTP_1_UUID, "name": "sftp-1"},
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "name"}, "doesn't contain any query operator"),
        ({"q": "=zone-1"}, "is not a key-value pair"),
        ({"q": "name="}, "is not a key-value pair"),
        ({"limit": "ten"}, "Invalid query parameter. 'limit' must be an integer"),
        ({"start": "x"}, "Invalid query parameter. 'start' must be an integer"),
    ],
)
def test_malformed_query_is_400_plain_text(zs: ZStackHttp, params: dict[str, Any], message: str) -> None:
    response = zs.get("/zones", **params)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert message in response.text


@pytest.mark.parametrize(
    "params",
    [{"q": "colour=red"}, {"q": "totalCapacity>lots"}, {"sort": "+colour"}, {"fields": "uuid,colour"}],
)
def test_unknown_field_or_bad_value_is_sys_1007(zs: ZStackHttp, params: dict[str, Any]) -> None:
    response = zs.get("/backup-storage", **params)
    assert response.status_code == 503
    error = response.json()["error"]
    assert (error["code"], error["description"]) == ("SYS.1007", "One or more API argument is invalid")


def test_get_by_uuid_ignores_query_parameters(zs: ZStackHttp) -> None:
    (inventory,) = zs.inventories(f"/zones/{ZONE_1_UUID}", q="name=zone-2", fields="name")
    assert inventory["uuid"] == ZONE_1_UUID


def test_unknown_path_and_wrong_method(zs: ZStackHttp) -> None:
    response = zs.get("/hosts")
    assert (response.status_code, response.text) == (404, "no api mapping to /v1/hosts")
    response = zs.submit("PATCH", "/zones")
    assert (response.status_code, response.text) == (
        405,
        "The method[PATCH] is not allowed for the path[/zstack/v1/zones]",
    )
