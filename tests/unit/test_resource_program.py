"""Program-side behaviour of the resource class, with Pulumi's own mock monitor."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from pulumi_zstack import BackupStorageZoneAttachment, BackupStorageZoneAttachmentArgs

ZONE = "6b1a3c7e2d4f4a1b9c8d7e6f5a4b3c21"
BS = "3f9d2c1b0a8e4f7d9c6b5a4e3d2c1b0a"


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append(args)
        inputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        outs = {
            **inputs,
            "name": "imagestore-1",
            "totalCapacity": 1099511627776.0,  # the engine sends numbers as floats
            "availableCapacity": 824633720832.0,
            "attachedZoneUuids": [ZONE],
        }
        return f"{inputs.get('zoneUuid', ZONE)}:{inputs.get('backupStorageUuid', BS)}", outs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any] | None]:
        return {}, None


@pytest.fixture
def mocks() -> Mocks:
    m = Mocks()
    pulumi.runtime.set_mocks(m, preview=False)
    return m


@pulumi.runtime.test
def test_keyword_arguments_use_camel_case_on_the_wire(mocks: Mocks) -> Any:
    res = BackupStorageZoneAttachment("a", zone_uuid=ZONE, backup_storage_uuid=BS, system_tags=["x::y"])

    def check(values: list[Any]) -> None:
        zone, bs, tags, total, available, attached, _id = values
        assert (zone, bs, tags) == (ZONE, BS, ["x::y"])
        assert total == 1099511627776 and isinstance(total, int)
        assert isinstance(available, int)
        assert attached == [ZONE]
        registered = mocks.registered[0]
        assert registered.typ == "pulumi-python:dynamic/zstack:BackupStorageZoneAttachment"
        assert {"zoneUuid", "backupStorageUuid", "systemTags", "__provider"} <= set(registered.inputs)
        assert "zone_uuid" not in registered.inputs

    return pulumi.Output.all(
        res.zone_uuid,
        res.backup_storage_uuid,
        res.system_tags,
        res.total_capacity,
        res.available_capacity,
        res.attached_zone_uuids,
        res.id,
    ).apply(check)


@pulumi.runtime.test
def test_args_class_is_equivalent(mocks: Mocks) -> Any:
    res = BackupStorageZoneAttachment(
        "b", BackupStorageZoneAttachmentArgs(zone_uuid=ZONE, backup_storage_uuid=BS)
    )

    def check(values: list[Any]) -> None:
        assert values == [f"{ZONE}:{BS}", "imagestore-1"]
        assert "systemTags" not in mocks.registered[0].inputs

    return pulumi.Output.all(res.id, res.name).apply(check)


def test_missing_required_property_is_a_type_error(mocks: Mocks) -> None:
    with pytest.raises(TypeError, match="backup_storage_uuid"):
        BackupStorageZoneAttachment("c", zone_uuid=ZONE)


def test_args_and_keywords_together_are_refused(mocks: Mocks) -> None:
    with pytest.raises(TypeError, match="not both"):
        BackupStorageZoneAttachment(
            "d", BackupStorageZoneAttachmentArgs(zone_uuid=ZONE, backup_storage_uuid=BS), zone_uuid=ZONE
        )
