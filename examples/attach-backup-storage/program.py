"""Attach a backup storage to a zone, both looked up by name, and export the result.

Config (all optional): ``zoneName`` (default ``zone-1``), ``backupStorageName`` (default
``imagestore-1``), ``systemTags`` (JSON list), ``adopt`` (``true`` to take over a pair that is
already attached; without it such a pair fails ``pulumi up``). ZStack connection settings come from the
``zstack:*`` stack config or the ``ZSTACK_*`` environment variables.
"""

import pulumi

from pulumi_zstack import BackupStorageZoneAttachment, get_backup_storage, get_zone


def main() -> None:
    config = pulumi.Config()
    zone = get_zone(name=config.get("zoneName") or "zone-1")
    storage = get_backup_storage(name=config.get("backupStorageName") or "imagestore-1")

    attachment = BackupStorageZoneAttachment(
        "backup-storage-attachment",
        zone_uuid=zone.uuid,
        backup_storage_uuid=storage.uuid,
        system_tags=config.get_object("systemTags"),
        adopt=config.get_bool("adopt"),
    )

    pulumi.export("attachmentId", attachment.id)
    pulumi.export("zoneUuid", attachment.zone_uuid)
    pulumi.export("backupStorageUuid", attachment.backup_storage_uuid)
    pulumi.export("backupStorageName", attachment.name)
    pulumi.export("type", attachment.type)
    pulumi.export("status", attachment.status)
    pulumi.export("totalCapacity", attachment.total_capacity)
    pulumi.export("availableCapacity", attachment.available_capacity)
    pulumi.export("attachedZoneUuids", attachment.attached_zone_uuids)
