"""The simulator's initial state: the seed file format and the default seed.

A seed is a JSON document (see ``examples/seed.json`` and ``docs/simulator.md``)::

    {"description"?: "free text",
     "accounts": [{"name", "password", "uuid"?}],
     "accessKeys": [{"id", "secret", "accountName"}],
     "zones": [{"uuid"?, "name", "description"?, "state"?, "type"?, "isDefault"?}],
     "backupStorages": [{"uuid"?, "name", "url", "type", "totalCapacity"?, "availableCapacity"?,
                         "state"?, "status"?, "description"?, "hostname"?, "username"?, "sshPort"?,
                         "attachedZoneUuids"?: [...]}],
     "clusters": [{"uuid"?, "name", "zoneUuid", "description"?, "state"?, "hypervisorType"?, "type"?,
                   "architecture"?}],
     "primaryStorages": [{"uuid"?, "name", "zoneUuid", "url", "type", "description"?, "totalCapacity"?,
                          "availableCapacity"?, "totalPhysicalCapacity"?, "availablePhysicalCapacity"?,
                          "systemUsedCapacity"?, "state"?, "status"?, "mountPath"?,
                          "attachedClusterUuids"?: [...]}],
     "l2Networks": [{"uuid"?, "name", "zoneUuid", "physicalInterface", "type", "vlan"?, "vSwitchType"?,
                     "description"?, "attachedClusterUuids"?: [...]}]}

Passwords are given in plain text; the simulator keeps their SHA-512 hex, which is
what clients send at login. The default seed (``default_seed.json``, used without
``--seed``) is described by the constants below, which tests and examples import.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pulumi_zstack.simulator.wire import new_uuid

ADMIN_ACCOUNT = "admin"
ADMIN_PASSWORD = "password"  # noqa: S105 - the well-known factory password of a ZStack install
ACCESS_KEY_ID = "simAccessKeyId0000001"
ACCESS_KEY_SECRET = "simAccessKeySecret000000000000000000000"  # noqa: S105 - simulator-only secret
ZONE_1_UUID = "6b1a3c7e2d4f4a1b9c8d7e6f5a4b3c21"
ZONE_2_UUID = "8e2f4b6a1c3d4e5f8a7b6c5d4e3f2a10"
IMAGESTORE_1_UUID = "3f9d2c1b0a8e4f7d9c6b5a4e3d2c1b0a"
SFTP_1_UUID = "c4d5e6f708194a2b8c3d4e5f60718293"
CLUSTER_1_UUID = "a1c2e3f4051647a8b9c0d1e2f3a4b5c6"
CLUSTER_2_UUID = "b2d3f405162748b9c0d1e2f3a4b5c6d7"
NFS_1_UUID = "c35e7f90a1b249c8d7e6f5a4b3c2d1e0"
LOCAL_1_UUID = "d46f80a1b2c34ad9e8f7a6b5c4d3e2f1"
LOCAL_2_UUID = "e57091b2c3d44bea9f8a7b6c5d4e3f20"
NFS_2_UUID = "f681a2c3d4e54cfb0a9b8c7d6e5f4031"
L2_NOVLAN_ETH0_UUID = "0792b3d4e5f64d0c1b0a9c8d7e6f5142"
L2_NOVLAN_ETH0_B_UUID = "18a3c4e5f6074e1d2c1b0a9d8e7f6253"
L2_VLAN_10_UUID = "29b4d5f607184f2e3d2c1b0a9e8f7364"
L2_VLAN_10_B_UUID = "3ac5e6071829403f4e3d2c1b0a9f8475"
L2_VLAN_100_UUID = "4bd6f718293a41405f4e3d2c1b0a9586"
L2_OVS_ETH0_UUID = "5ce708293a4b42516a5f4e3d2c1b0697"
L2_ZONE_2_UUID = "6df8193a4b5c43627b6a5f4e3d2c17a8"

_UUID_PATTERN = r"^[0-9a-f]{32}$"


class SeedError(ValueError):
    """The seed file cannot be read or does not describe a consistent state."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SeedAccount(_Model):
    name: str
    password: str
    uuid: str = Field(default_factory=new_uuid, pattern=_UUID_PATTERN)

    @property
    def password_sha512(self) -> str:
        return hashlib.sha512(self.password.encode()).hexdigest()


class SeedAccessKey(_Model):
    id: str
    secret: str
    account_name: str = Field(alias="accountName")


class SeedZone(_Model):
    uuid: str = Field(default_factory=new_uuid, pattern=_UUID_PATTERN)
    name: str
    description: str | None = None
    state: Literal["Enabled", "Disabled"] = "Enabled"
    type: str = "zstack"
    is_default: bool = Field(default=False, alias="isDefault")


class SeedBackupStorage(_Model):
    uuid: str = Field(default_factory=new_uuid, pattern=_UUID_PATTERN)
    name: str
    url: str
    type: str
    description: str | None = None
    total_capacity: int = Field(default=0, ge=0, alias="totalCapacity")
    available_capacity: int = Field(default=0, ge=0, alias="availableCapacity")
    state: Literal["Enabled", "Disabled"] = "Enabled"
    status: Literal["Connecting", "Connected", "Disconnected"] = "Connected"
    hostname: str | None = None
    username: str | None = None
    ssh_port: int | None = Field(default=None, alias="sshPort")
    attached_zone_uuids: list[str] = Field(default_factory=list, alias="attachedZoneUuids")


class SeedCluster(_Model):
    uuid: str = Field(default_factory=new_uuid, pattern=_UUID_PATTERN)
    name: str
    zone_uuid: str = Field(alias="zoneUuid")
    description: str | None = None
    state: Literal["Enabled", "Disabled"] = "Enabled"
    hypervisor_type: str = Field(default="KVM", alias="hypervisorType")
    type: str = "zstack"
    architecture: str | None = "x86_64"


class SeedPrimaryStorage(_Model):
    uuid: str = Field(default_factory=new_uuid, pattern=_UUID_PATTERN)
    name: str
    zone_uuid: str = Field(alias="zoneUuid")
    url: str
    type: str
    description: str | None = None
    total_capacity: int = Field(default=0, ge=0, alias="totalCapacity")
    available_capacity: int = Field(default=0, ge=0, alias="availableCapacity")
    total_physical_capacity: int = Field(default=0, ge=0, alias="totalPhysicalCapacity")
    available_physical_capacity: int = Field(default=0, ge=0, alias="availablePhysicalCapacity")
    system_used_capacity: int = Field(default=0, ge=0, alias="systemUsedCapacity")
    state: Literal["Enabled", "Disabled", "PreMaintenance", "Maintenance"] = "Enabled"
    status: Literal["Connecting", "Connected", "Disconnected"] = "Connected"
    mount_path: str | None = Field(default=None, alias="mountPath")
    attached_cluster_uuids: list[str] = Field(default_factory=list, alias="attachedClusterUuids")


class SeedL2Network(_Model):
    uuid: str = Field(default_factory=new_uuid, pattern=_UUID_PATTERN)
    name: str
    zone_uuid: str = Field(alias="zoneUuid")
    physical_interface: str = Field(alias="physicalInterface")
    type: Literal["L2NoVlanNetwork", "L2VlanNetwork"]
    vlan: int | None = Field(default=None, ge=0, le=4095)
    v_switch_type: str = Field(default="LinuxBridge", alias="vSwitchType")
    description: str | None = None
    attached_cluster_uuids: list[str] = Field(default_factory=list, alias="attachedClusterUuids")

    @model_validator(mode="after")
    def _vlan_matches_type(self) -> SeedL2Network:
        if (self.vlan is None) == (self.type == "L2VlanNetwork"):
            raise ValueError(f"L2 network {self.uuid}: vlan is required for L2VlanNetwork and only for it")
        return self


class Seed(_Model):
    """A validated seed document."""

    description: str | None = None  # free text for the reader of the file
    accounts: list[SeedAccount] = Field(default_factory=list)
    access_keys: list[SeedAccessKey] = Field(default_factory=list, alias="accessKeys")
    zones: list[SeedZone] = Field(default_factory=list)
    backup_storages: list[SeedBackupStorage] = Field(default_factory=list, alias="backupStorages")
    clusters: list[SeedCluster] = Field(default_factory=list)
    primary_storages: list[SeedPrimaryStorage] = Field(default_factory=list, alias="primaryStorages")
    l2_networks: list[SeedL2Network] = Field(default_factory=list, alias="l2Networks")

    @model_validator(mode="after")
    def _check_references(self) -> Seed:
        account_names = [a.name for a in self.accounts]
        _require_unique("account name", account_names)
        _require_unique("access key id", [k.id for k in self.access_keys])
        zone_uuids = [z.uuid for z in self.zones]
        _require_unique("zone uuid", zone_uuids)
        _require_unique("backup storage uuid", [b.uuid for b in self.backup_storages])
        for key in self.access_keys:
            if key.account_name not in account_names:
                raise ValueError(f"access key {key.id!r} names unknown account {key.account_name!r}")
        for bs in self.backup_storages:
            _require_unique(f"attachedZoneUuids of backup storage {bs.uuid}", bs.attached_zone_uuids)
            for zone_uuid in bs.attached_zone_uuids:
                if zone_uuid not in zone_uuids:
                    raise ValueError(f"backup storage {bs.uuid} is attached to unknown zone {zone_uuid}")
        zone_of_cluster = {c.uuid: c.zone_uuid for c in self.clusters}
        _require_unique("cluster uuid", [c.uuid for c in self.clusters])
        _require_unique("primary storage uuid", [p.uuid for p in self.primary_storages])
        _require_unique("L2 network uuid", [n.uuid for n in self.l2_networks])
        for cluster in self.clusters:
            if cluster.zone_uuid not in zone_uuids:
                raise ValueError(f"cluster {cluster.uuid} is in unknown zone {cluster.zone_uuid}")
        attachable: tuple[tuple[str, list[SeedPrimaryStorage] | list[SeedL2Network]], ...] = (
            ("primary storage", self.primary_storages),
            ("L2 network", self.l2_networks),
        )
        for noun, kind_resources in attachable:
            for resource in kind_resources:
                if resource.zone_uuid not in zone_uuids:
                    raise ValueError(f"{noun} {resource.uuid} is in unknown zone {resource.zone_uuid}")
                _require_unique(
                    f"attachedClusterUuids of {noun} {resource.uuid}", resource.attached_cluster_uuids
                )
                for cluster_uuid in resource.attached_cluster_uuids:
                    if zone_of_cluster.get(cluster_uuid) != resource.zone_uuid:
                        raise ValueError(
                            f"{noun} {resource.uuid} is attached to {cluster_uuid}, not a cluster of its zone"
                        )
        return self

    def account_uuid(self, name: str) -> str:
        return next(a.uuid for a in self.accounts if a.name == name)

    def zone_records(self) -> list[dict[str, Any]]:
        """Zones as store records (wire names, no dates)."""
        return [z.model_dump(by_alias=True) for z in self.zones]

    def backup_storage_records(self) -> list[dict[str, Any]]:
        """Backup storages as store records (wire names, no dates, no attachments)."""
        return [b.model_dump(by_alias=True, exclude={"attached_zone_uuids"}) for b in self.backup_storages]

    def cluster_records(self) -> list[dict[str, Any]]:
        """Clusters as store records (wire names, no dates)."""
        return [c.model_dump(by_alias=True) for c in self.clusters]

    def primary_storage_records(self) -> list[dict[str, Any]]:
        """Primary storages as store records (wire names, no dates, no attachments)."""
        return [
            p.model_dump(by_alias=True, exclude={"attached_cluster_uuids"}) for p in self.primary_storages
        ]

    def l2_network_records(self) -> list[dict[str, Any]]:
        """L2 networks as store records: no attachments; ``virtualNetworkId`` is the VLAN (0 without
        one) and ``isolated`` false, as ``L2NetworkVO`` holds them for these two types."""
        return [
            {
                **n.model_dump(by_alias=True, exclude={"attached_cluster_uuids"}),
                "virtualNetworkId": n.vlan or 0,
                "isolated": False,
            }
            for n in self.l2_networks
        ]


def _require_unique(what: str, values: list[str]) -> None:
    duplicates = sorted({v for v in values if values.count(v) > 1})
    if duplicates:
        raise ValueError(f"duplicate {what}: {', '.join(duplicates)}")


def parse_seed(document: object) -> Seed:
    """Validate a decoded seed document."""
    try:
        return Seed.model_validate(document)
    except ValidationError as exc:
        raise SeedError(f"invalid seed: {exc}") from exc


def load_seed(path: str | Path | None = None) -> Seed:
    """Read the seed file at ``path``, or the packaged default seed."""
    try:
        if path is None:
            text = resources.files("pulumi_zstack.simulator").joinpath("default_seed.json").read_text()
        else:
            text = Path(path).read_text()
        document = json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise SeedError(f"cannot read seed {path or 'default_seed.json'}: {exc}") from exc
    return parse_seed(document)
