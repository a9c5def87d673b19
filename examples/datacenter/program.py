"""A zone's data center in one program: its cluster gets a primary storage and an L2 network, and
the zone a backup storage; every object is looked up by name.

Config (all optional): ``zoneName`` (default ``zone-1``), ``clusterName`` (``cluster-1``),
``backupStorageName`` (``imagestore-1``), ``primaryStorageName`` (``nfs-1``), ``l2NetworkName``
(``l2-vlan-100``). ZStack connection settings come from the ``zstack:*`` stack config or the
``ZSTACK_*`` environment variables.
"""

import pulumi

from pulumi_zstack import (
    BackupStorageZoneAttachment,
    L2NetworkClusterAttachment,
    PrimaryStorageClusterAttachment,
    get_backup_storage,
    get_cluster,
    get_l2_network,
    get_primary_storage,
    get_zone,
)


def main() -> None:
    config = pulumi.Config()
    zone = get_zone(name=config.get("zoneName") or "zone-1")
    cluster = get_cluster(name=config.get("clusterName") or "cluster-1")
    if cluster.zone_uuid != zone.uuid:
        raise pulumi.RunError(f"cluster {cluster.name} is not in zone {zone.name}")
    backup_storage = get_backup_storage(name=config.get("backupStorageName") or "imagestore-1")
    primary_storage = get_primary_storage(name=config.get("primaryStorageName") or "nfs-1")
    l2_network = get_l2_network(name=config.get("l2NetworkName") or "l2-vlan-100")

    images = BackupStorageZoneAttachment(
        "images", zone_uuid=zone.uuid, backup_storage_uuid=backup_storage.uuid
    )
    disks = PrimaryStorageClusterAttachment(
        "disks", cluster_uuid=cluster.uuid, primary_storage_uuid=primary_storage.uuid
    )
    network = L2NetworkClusterAttachment(
        "network", l2_network_uuid=l2_network.uuid, cluster_uuid=cluster.uuid
    )

    pulumi.export("backupStorageAttachment", images.id)
    pulumi.export("primaryStorageAttachment", disks.id)
    pulumi.export("l2NetworkAttachment", network.id)
    pulumi.export("imagesAvailableCapacity", images.available_capacity)
    pulumi.export("disksAvailableCapacity", disks.available_capacity)
    pulumi.export("disksUrl", disks.url)
    pulumi.export("networkInterface", network.physical_interface)
    pulumi.export("networkVlan", network.vlan)
    pulumi.export("clusterPrimaryStorages", disks.attached_cluster_uuids)
