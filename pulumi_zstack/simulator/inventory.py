"""Inventory shapes: which fields each resource has and how it is put on the wire.

A *record* is a resource as the store keeps it: wire field names, dates as epoch
floats, ``attachedZoneUuids`` as a list. Queries filter and sort records; only
the page that is answered is rendered to inventories (dates formatted, nulls
omitted).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

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


ZONE = InventoryType(
    name="ZoneInventory",
    fields={
        "uuid": Kind.STRING,
        "name": Kind.STRING,
        "description": Kind.STRING,
        "state": Kind.STRING,
        "type": Kind.STRING,
        "isDefault": Kind.BOOL,
        "createDate": Kind.DATE,
        "lastOpDate": Kind.DATE,
    },
    java_class="org.zstack.header.zone.ZoneInventory",
)

BACKUP_STORAGE = InventoryType(
    name="BackupStorageInventory",
    fields={
        "uuid": Kind.STRING,
        "name": Kind.STRING,
        "url": Kind.STRING,
        "description": Kind.STRING,
        "totalCapacity": Kind.INT,
        "availableCapacity": Kind.INT,
        "type": Kind.STRING,
        "state": Kind.STRING,
        "status": Kind.STRING,
        "createDate": Kind.DATE,
        "lastOpDate": Kind.DATE,
        "attachedZoneUuids": Kind.STRING_LIST,
        # ImageStoreBackupStorageInventory / SftpBackupStorageInventory
        "hostname": Kind.STRING,
        "username": Kind.STRING,
        "sshPort": Kind.INT,
    },
    java_class="org.zstack.header.storage.backup.BackupStorageInventory",
)

# Java classes of the backup storage subtypes, used in the query reply's "schema".
BACKUP_STORAGE_CLASSES: dict[str, str] = {
    "ImageStoreBackupStorage": "org.zstack.storage.backup.imagestore.ImageStoreBackupStorageInventory",
    "SftpBackupStorage": "org.zstack.storage.backup.sftp.SftpBackupStorageInventory",
}

# Backup storage fields kept by the store (everything but the derived attachedZoneUuids).
BACKUP_STORAGE_COLUMNS: tuple[str, ...] = tuple(f for f in BACKUP_STORAGE.fields if f != "attachedZoneUuids")
ZONE_COLUMNS: tuple[str, ...] = tuple(ZONE.fields)


def java_class_of(inventory_type: InventoryType, record: dict[str, Any]) -> str:
    """The Java class the management node would report for ``record``."""
    if inventory_type is BACKUP_STORAGE:
        return BACKUP_STORAGE_CLASSES.get(str(record.get("type")), inventory_type.java_class)
    return inventory_type.java_class
