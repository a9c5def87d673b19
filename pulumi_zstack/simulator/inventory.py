"""Inventory shapes: which fields each resource has and how it is put on the wire.

A *record* is a resource as the store keeps it: wire field names, dates as epoch
floats, ``attachedZoneUuids`` as a list. Queries filter and sort records; only
the page that is answered is rendered to inventories (dates formatted, nulls
omitted).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from pulumi_zstack.client import models
from pulumi_zstack.simulator.wire import gson_date


class Kind(Enum):
    """How a field's values compare in a query condition."""

    STRING = "string"
    INT = "int"
    BOOL = "bool"
    DATE = "date"
    STRING_LIST = "list"


@dataclass(frozen=True)
class InventoryType:
    """One queryable inventory: its fields (in wire order) and Java class names."""

    name: str
    fields: dict[str, Kind]
    java_class: str

    def render(self, record: dict[str, Any], only: list[str] | None = None) -> dict[str, Any]:
        """The wire inventory of ``record``, restricted to ``only`` when given."""
        names = self.fields if only is None else [f for f in self.fields if f in only]
        out: dict[str, Any] = {}
        for name in names:
            value = record.get(name)
            if value is None:
                continue
            if self.fields[name] is Kind.DATE:
                value = gson_date(value)
            elif self.fields[name] is Kind.BOOL:
                value = bool(value)
            out[name] = value
        return out


def fields_of(model: type[BaseModel]) -> dict[str, Kind]:
    """The wire fields of a client inventory model and how each compares in a query.

    The client's pydantic models are the one declaration of every inventory's fields (their
    aliases are the wire names); the simulator renders and queries exactly those. Dates are the
    fields ZStack names ``...Date`` (Gson strings on the wire, epoch floats in the store).
    """
    kinds: dict[str, Kind] = {}
    for name, info in model.model_fields.items():
        wire = info.alias or name
        kinds[wire] = _kind(wire, info.annotation)
    return kinds


def _kind(wire: str, annotation: Any) -> Kind:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    base = (
        args[0] if typing.get_origin(annotation) in (typing.Union, types.UnionType) and args else annotation
    )
    if typing.get_origin(base) is list:
        return Kind.STRING_LIST
    if base is bool:
        return Kind.BOOL
    if base is int:
        return Kind.INT
    return Kind.DATE if wire.endswith("Date") else Kind.STRING


ZONE = InventoryType(
    name="ZoneInventory",
    fields=fields_of(models.ZoneInventory),
    java_class="org.zstack.header.zone.ZoneInventory",
)

BACKUP_STORAGE = InventoryType(
    name="BackupStorageInventory",
    fields=fields_of(models.BackupStorageInventory),
    java_class="org.zstack.header.storage.backup.BackupStorageInventory",
)

CLUSTER = InventoryType(
    name="ClusterInventory",
    fields=fields_of(models.ClusterInventory),
    java_class="org.zstack.header.cluster.ClusterInventory",
)

PRIMARY_STORAGE = InventoryType(
    name="PrimaryStorageInventory",
    fields=fields_of(models.PrimaryStorageInventory),
    java_class="org.zstack.header.storage.primary.PrimaryStorageInventory",
)

L2_NETWORK = InventoryType(
    name="L2NetworkInventory",
    fields=fields_of(models.L2NetworkInventory),
    java_class="org.zstack.header.network.l2.L2NetworkInventory",
)

# Java classes of the backup storage subtypes, used in the query reply's "schema".
BACKUP_STORAGE_CLASSES: dict[str, str] = {
    "ImageStoreBackupStorage": "org.zstack.storage.backup.imagestore.ImageStoreBackupStorageInventory",
    "SftpBackupStorage": "org.zstack.storage.backup.sftp.SftpBackupStorageInventory",
}

# L2VlanNetworkInventory extends L2NetworkInventory with ``vlan`` (header/.../network/l2/).
L2_NETWORK_CLASSES: dict[str, str] = {"L2VlanNetwork": "org.zstack.header.network.l2.L2VlanNetworkInventory"}

# Backup storage fields kept by the store (everything but the derived attachedZoneUuids).
BACKUP_STORAGE_COLUMNS: tuple[str, ...] = tuple(f for f in BACKUP_STORAGE.fields if f != "attachedZoneUuids")
ZONE_COLUMNS: tuple[str, ...] = tuple(ZONE.fields)
CLUSTER_COLUMNS: tuple[str, ...] = tuple(CLUSTER.fields)
# Primary storage and L2 network fields kept by the store (attachedClusterUuids is derived).
PRIMARY_STORAGE_COLUMNS: tuple[str, ...] = tuple(
    f for f in PRIMARY_STORAGE.fields if f != "attachedClusterUuids"
)
L2_NETWORK_COLUMNS: tuple[str, ...] = tuple(f for f in L2_NETWORK.fields if f != "attachedClusterUuids")


def java_class_of(inventory_type: InventoryType, record: dict[str, Any]) -> str:
    """The Java class the management node would report for ``record``."""
    if inventory_type is BACKUP_STORAGE:
        return BACKUP_STORAGE_CLASSES.get(str(record.get("type")), inventory_type.java_class)
    if inventory_type is L2_NETWORK:
        return L2_NETWORK_CLASSES.get(str(record.get("type")), inventory_type.java_class)
    return inventory_type.java_class
