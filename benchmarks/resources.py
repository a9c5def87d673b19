"""The attachment resources the benchmark runs, and what it needs to know of each.

One :class:`BenchResource` per attachment resource of the package, in :data:`RESOURCES`: the
product's resource and provider classes (and through the provider its
:class:`~pulumi_zstack._attachment.AttachmentSpec`), where its fleet goes in a simulator seed,
and the inventory its member end has in the benchmark. Everything else (the seeds in
:mod:`benchmarks.measure`, the reference providers in :mod:`benchmarks.providers`, the program
in :mod:`benchmarks.run`) is derived from these rows.

The provider process imports this module (through :mod:`benchmarks.providers`), so it stays
light: no pydantic, no simulator.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pulumi_zstack import (
    BackupStorageZoneAttachment,
    BackupStorageZoneAttachmentProvider,
    L2NetworkClusterAttachment,
    L2NetworkClusterAttachmentProvider,
    PrimaryStorageClusterAttachment,
    PrimaryStorageClusterAttachmentProvider,
)
from pulumi_zstack._attachment import AttachmentProvider, AttachmentResource, AttachmentSpec


def bench_uuid(kind: str, index: int) -> str:
    """A stable 32-hex uuid, so every run (and every variant) uses the same ids."""
    return hashlib.md5(f"pulumi-zstack-bench/{kind}/{index}".encode()).hexdigest()


ZONE_UUID = bench_uuid("zone", 0)
"""The one zone of every fleet."""
CLUSTER_UUID = bench_uuid("cluster", 0)
"""The one cluster (in :data:`ZONE_UUID`) of the fleets that attach to a cluster."""

TIB = 2**40
MAX_VLAN = 4094
"""The largest VLAN id (802.1Q; ``L2VlanNetwork`` takes 1-4094)."""


def _backup_storage(i: int) -> dict[str, Any]:
    return {
        "name": f"bench-bs-{i:04d}",
        "type": "ImageStoreBackupStorage",
        # Backup storages of different zones may share a url: one storage per pair keeps every
        # resource's outputs the same size whatever N is.
        "url": "/zstack_bs",
        "hostname": "192.168.100.10",
        "username": "root",
        "sshPort": 22,
        "totalCapacity": TIB,
        "availableCapacity": TIB * 3 // 4,
        "state": "Enabled",
        "status": "Connected",
    }


def _primary_storage(i: int) -> dict[str, Any]:
    # Distinct urls: the node refuses a second primary storage with the same url in one cluster.
    return {
        "name": f"bench-ps-{i:04d}",
        "zoneUuid": ZONE_UUID,
        "type": "NFS",
        "url": f"192.168.100.20:/bench/ps-{i:04d}",
        "mountPath": f"/opt/zstack/nfsprimarystorage/bench-ps-{i:04d}",
        "totalCapacity": 2 * TIB,
        "availableCapacity": 3 * TIB // 2,
        "totalPhysicalCapacity": 2 * TIB,
        "availablePhysicalCapacity": 3 * TIB // 2,
        "systemUsedCapacity": 0,
        "state": "Enabled",
        "status": "Connected",
    }


def _l2_network(i: int) -> dict[str, Any]:
    # One interface, VLAN ids 1..N: the node refuses two networks of one cluster on the same
    # interface and (for VLAN networks) the same VLAN.
    if i + 1 > MAX_VLAN:
        raise ValueError(f"an L2 fleet has at most {MAX_VLAN} networks (one per VLAN id), not {i + 1}")
    return {
        "name": f"bench-l2-{i:04d}",
        "zoneUuid": ZONE_UUID,
        "type": "L2VlanNetwork",
        "physicalInterface": "eth1",
        "vlan": i + 1,
        "vSwitchType": "LinuxBridge",
        # What the node derives for a VLAN network (L2NetworkVO): the VLAN id, not isolated.
        "virtualNetworkId": i + 1,
        "isolated": False,
    }


@dataclass(frozen=True)
class BenchResource:
    """One attachment resource as the benchmark runs it.

    :ivar key: the short name of ``--resources`` and of the results (``backup-storage-zone``).
    :ivar resource, provider: the product's resource and provider classes.
    :ivar seed_key: the seed's list of the member end (``backupStorages``).
    :ivar other: the seed's list of the other end, of which every fleet has one (``zones``).
    :ivar member_inventory: member ``i``'s inventory as the node renders it, without its uuid,
        its dates and its membership list (which the simulator and the providers add).
    :ivar attachments: the simulator control's call that lists this resource's attached pairs.
    """

    key: str
    resource: type[AttachmentResource]
    provider: type[AttachmentProvider]
    seed_key: str
    other: Literal["zones", "clusters"]
    member_inventory: Callable[[int], dict[str, Any]]
    attachments: str

    @property
    def spec(self) -> AttachmentSpec:
        return self.provider.spec

    @property
    def other_uuid(self) -> str:
        return ZONE_UUID if self.other == "zones" else CLUSTER_UUID

    def member_uuid(self, i: int) -> str:
        return bench_uuid(self.seed_key, i)

    def keywords(self, pair: tuple[str, str]) -> dict[str, str]:
        """The resource's keyword arguments for ``pair`` (``zone_uuid=..., backup_storage_uuid=...``)."""
        return {end.python: uuid for end, uuid in zip(self.spec.ends, pair, strict=True)}

    def pair(self, i: int) -> tuple[str, str]:
        """The uuids of pair ``i`` in the order of the resource's id (and API path)."""
        ends = [self.other_uuid, self.other_uuid]
        ends[self.spec.member] = self.member_uuid(i)
        return ends[0], ends[1]


RESOURCES: dict[str, BenchResource] = {
    r.key: r
    for r in (
        BenchResource(
            "backup-storage-zone",
            BackupStorageZoneAttachment,
            BackupStorageZoneAttachmentProvider,
            "backupStorages",
            "zones",
            _backup_storage,
            "attachments",
        ),
        BenchResource(
            "primary-storage-cluster",
            PrimaryStorageClusterAttachment,
            PrimaryStorageClusterAttachmentProvider,
            "primaryStorages",
            "clusters",
            _primary_storage,
            "primary_storage_attachments",
        ),
        BenchResource(
            "l2-network-cluster",
            L2NetworkClusterAttachment,
            L2NetworkClusterAttachmentProvider,
            "l2Networks",
            "clusters",
            _l2_network,
            "l2_network_attachments",
        ),
    )
}
"""Every attachment resource of the package, in the order the benchmark runs them."""

DEFAULT_RESOURCE = "backup-storage-zone"
"""The resource of results written before the benchmark ran more than one."""
