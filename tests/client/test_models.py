"""Inventories parsed from JSON documents shaped like real ZStack answers."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from pulumi_zstack.client import BackupStorageInventory, ZoneInventory
from pulumi_zstack.client.models import parse_zstack_date

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def test_image_store_fields_are_typed_and_snake_case() -> None:
    wire = fixture("query_backup_storage.json")["inventories"][0]
    bs = BackupStorageInventory.model_validate(wire)
    assert bs.uuid == "3f9d2c1b0a8e4f7d9c6b5a4e3d2c1b0a"
    assert bs.total_capacity == 1099511627776
    assert bs.available_capacity == 879609302220
    assert bs.attached_zone_uuids == []
    assert (bs.hostname, bs.username, bs.ssh_port) == ("172.20.11.42", "root", 22)
    assert bs.create_date == "Jun 7, 2017 9:20:19 PM"
    assert bs.create_date_parsed() == datetime(2017, 6, 7, 21, 20, 19)


def test_subtype_fields_are_kept_and_the_wire_shape_round_trips() -> None:
    for wire in fixture("query_backup_storage.json")["inventories"]:
        assert BackupStorageInventory.model_validate(wire).model_dump(by_alias=True) == wire
    wire = fixture("query_zone.json")["inventories"][0]
    assert ZoneInventory.model_validate(wire).model_dump(by_alias=True) == wire


def test_ceph_extras_stay_available() -> None:
    ceph = BackupStorageInventory.model_validate(fixture("query_backup_storage.json")["inventories"][1])
    assert ceph.model_extra is not None
    assert ceph.model_extra["fsid"] == "7ff218d9-f525-435f-8a40-3618d1772a64"
    assert ceph.attached_zone_uuids == [
        "6b1a3c7e2d4f4a1b9c8d7e6f5a4b3c21",
        "8e2f4b6a1c3d4e5f8a7b6c5d4e3f2a10",
    ]
    assert ceph.hostname is None
    assert ceph.create_date_parsed() == datetime(2017, 12, 31, 0, 5, 9)
    assert ceph.last_op_date_parsed() == datetime(2018, 1, 1, 12, 0, 0)


def test_zone_by_attribute_name_and_nulls_left_out() -> None:
    zone = ZoneInventory(uuid="a" * 32, name="z", is_default=True)
    assert zone.model_dump(by_alias=True) == {"uuid": "a" * 32, "name": "z", "isDefault": True}
    assert zone.create_date_parsed() is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jun 7, 2017 9:20:19 PM", datetime(2017, 6, 7, 21, 20, 19)),
        ("Jun 7, 2017 12:00:01 AM", datetime(2017, 6, 7, 0, 0, 1)),
        ("Jun 7, 2017 12:00:01 PM", datetime(2017, 6, 7, 12, 0, 1)),
        ("Sep 30, 2024, 1:02:03\u202fPM", datetime(2024, 9, 30, 13, 2, 3)),  # newer JDKs
        ("2024-09-30T13:02:03", datetime(2024, 9, 30, 13, 2, 3)),
        ("not a date", None),
        ("Foo 7, 2017 9:20:19 PM", None),
        (None, None),
    ],
)
def test_parse_zstack_date(text: str | None, expected: datetime | None) -> None:
    assert parse_zstack_date(text) == expected
