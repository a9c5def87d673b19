"""Program-side behaviour of the resource class, with Pulumi's own mock monitor."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from pulumi_zstack import BackupStorageZoneAttachment, BackupStorageZoneAttachmentArgs

ZONE = "6b1a3c7e2d4f4a1b9c8d7e6f5a4b3c21"
BS = "3f9d2c1b0a8e4f7d9c6b5a4e3d2c1b0a"


# The backup storage inventory the provider returns as outputs, shaped like a ZStack QueryBackupStorage
# reply (tests/client/fixtures/query_backup_storage.json), with a lastOpDate unlike the createDate so
# that swapped fields show. The engine hands numbers to the program as floats.
WIRE_OUTPUTS: dict[str, Any] = {
    "name": "imagestore-1",
    "url": "/zstack_bs",
    "description": "Test",
    "totalCapacity": 1099511627776.0,
    "availableCapacity": 879609302220.0,
    "type": "ImageStoreBackupStorage",
    "state": "Enabled",
    "status": "Connected",
    "createDate": "Jun 7, 2017 9:20:19 PM",
    "lastOpDate": "Jun 7, 2017 9:21:00 PM",
    "attachedZoneUuids": [ZONE],
}

# What a program reads from each documented attribute (README table) given WIRE_OUTPUTS.
EXPECTED_ATTRIBUTES: dict[str, Any] = {
    "name": "imagestore-1",
    "url": "/zstack_bs",
    "description": "Test",
    "total_capacity": 1099511627776,
    "available_capacity": 879609302220,
    "type": "ImageStoreBackupStorage",
    "state": "Enabled",
    "status": "Connected",
    "create_date": "Jun 7, 2017 9:20:19 PM",
    "last_op_date": "Jun 7, 2017 9:21:00 PM",
    "attached_zone_uuids": [ZONE],
}


class Mocks(pulumi.runtime.Mocks):
    """Plays the engine: records each registration and answers with the inputs plus WIRE_OUTPUTS."""

    def __init__(self) -> None:
        self.registered: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append(args)
        inputs = {k: v for k, v in args.inputs.items() if k != "__provider" and v is not None}
        return args.resource_id or f"{ZONE}:{BS}", {**inputs, **WIRE_OUTPUTS}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any] | None]:
        return {}, None


@pytest.fixture
def mocks() -> Mocks:
    m = Mocks()
    pulumi.runtime.set_mocks(m, preview=False)
    # Under mocks every test shares one root resource, where a program's declared pairs are kept.
    root = pulumi.runtime.get_root_resource()
    if root is not None:
        root.__dict__.pop("_pulumi_zstack_pairs", None)
    return m


def _attributes(res: BackupStorageZoneAttachment, names: list[str]) -> pulumi.Output[dict[str, Any]]:
    return pulumi.Output.all(*(getattr(res, n) for n in names)).apply(
        lambda v: dict(zip(names, v, strict=True))
    )


@pulumi.runtime.test
def test_keyword_arguments_use_camel_case_on_the_wire(mocks: Mocks) -> Any:
    res = BackupStorageZoneAttachment(
        "a", zone_uuid=ZONE, backup_storage_uuid=BS, system_tags=["x::y"], user_tags=["owner::ops"]
    )

    def check(_: Any) -> None:
        registered = mocks.registered[0]
        assert registered.typ == "pulumi-python:dynamic/zstack:BackupStorageZoneAttachment"
        sent = {k: v for k, v in registered.inputs.items() if k != "__provider" and v is not None}
        assert len(sent.pop("ownerKey")) == 32
        assert sent == {
            "zoneUuid": ZONE,
            "backupStorageUuid": BS,
            "systemTags": ["x::y"],
            "userTags": ["owner::ops"],
        }
        assert "__provider" in registered.inputs

    return res.id.apply(check)


@pulumi.runtime.test
def test_every_output_reads_back_under_its_python_name_and_type(mocks: Mocks) -> Any:
    res = BackupStorageZoneAttachment("o", zone_uuid=ZONE, backup_storage_uuid=BS, system_tags=["x::y"])
    names = ["zone_uuid", "backup_storage_uuid", "system_tags", *EXPECTED_ATTRIBUTES]

    def check(values: dict[str, Any]) -> None:
        assert values == {
            "zone_uuid": ZONE,
            "backup_storage_uuid": BS,
            "system_tags": ["x::y"],
            **EXPECTED_ATTRIBUTES,
        }
        assert type(values["total_capacity"]) is int
        assert type(values["available_capacity"]) is int

    return _attributes(res, names).apply(check)


@pulumi.runtime.test
def test_get_reads_an_existing_attachment_by_id_without_inputs(mocks: Mocks) -> Any:
    res = BackupStorageZoneAttachment.get("existing", f"{ZONE}:{BS}")

    def check(values: dict[str, Any]) -> None:
        assert values == {"id": f"{ZONE}:{BS}", "name": "imagestore-1", "attached_zone_uuids": [ZONE]}
        assert mocks.registered[0].resource_id == f"{ZONE}:{BS}"

    return pulumi.Output.all(res.id, res.name, res.attached_zone_uuids).apply(
        lambda v: check(dict(zip(["id", "name", "attached_zone_uuids"], v, strict=True)))
    )


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


def test_a_second_resource_for_a_declared_pair_fails_in_the_program(mocks: Mocks) -> None:
    BackupStorageZoneAttachment("first", zone_uuid=ZONE, backup_storage_uuid=BS)
    with pytest.raises(pulumi.RunError) as err:  # printed by the CLI as one line
        BackupStorageZoneAttachment("second", zone_uuid=ZONE, backup_storage_uuid=BS)
    message = str(err.value)
    assert "'second'" in message and "'first' already declares" in message and "\n" not in message
