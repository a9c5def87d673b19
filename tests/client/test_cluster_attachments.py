"""The client's clusters, primary storage and L2 network areas against the simulator: queries,
attach and detach, and refusals classified by their code alone (the management node's codes,
``PrimaryStorageApiInterceptor.java``, ``L2NetworkApiInterceptor.java``, ``L2NoVlanNetwork.java``)."""

from __future__ import annotations

import pytest

from pulumi_zstack.client import (
    ClusterInventory,
    JobFailedError,
    L2NetworkInventory,
    NotFoundError,
    PrimaryStorageInventory,
    ZStackClient,
)
from pulumi_zstack.simulator.process import SimulatorControl
from pulumi_zstack.simulator.seed import (
    CLUSTER_1_UUID,
    CLUSTER_2_UUID,
    L2_NOVLAN_ETH0_UUID,
    L2_VLAN_10_B_UUID,
    L2_VLAN_100_UUID,
    LOCAL_1_UUID,
    NFS_1_UUID,
    ZONE_1_UUID,
)
from tests.client.client_support import api_requests

MISSING = "0" * 32


def test_clusters_query_get_create_delete(client: ZStackClient) -> None:
    cluster = client.clusters.get(CLUSTER_1_UUID)
    assert isinstance(cluster, ClusterInventory)
    assert (cluster.name, cluster.zone_uuid, cluster.hypervisor_type) == ("cluster-1", ZONE_1_UUID, "KVM")
    assert [c.uuid for c in client.clusters.query([f"zoneUuid={ZONE_1_UUID}"])] == [CLUSTER_1_UUID]
    created = client.clusters.create(ZONE_1_UUID, "cluster-3", description="spare")
    assert (created.zone_uuid, created.description) == (ZONE_1_UUID, "spare")
    client.clusters.delete(created.uuid)
    with pytest.raises(NotFoundError):
        client.clusters.get(created.uuid)


def test_primary_storage_get_is_a_query(client: ZStackClient, control: SimulatorControl) -> None:
    storage = client.primary_storage.get(LOCAL_1_UUID)
    assert isinstance(storage, PrimaryStorageInventory)
    assert (storage.type, storage.url, storage.total_capacity) == (
        "LocalStorage",
        "/zstack_ps",
        1099511627776,
    )
    assert storage.attached_cluster_uuids == [CLUSTER_1_UUID]
    # Never GET /primary-storage/{uuid}: on a real node that path is DeletePrimaryStorage's.
    assert api_requests(control, "GET", f"/primary-storage/{LOCAL_1_UUID}") == []
    with pytest.raises(NotFoundError):
        client.primary_storage.get(MISSING)
    assert client.primary_storage.get_shared(LOCAL_1_UUID).name == "local-1"


def test_primary_storage_attach_and_detach(client: ZStackClient, control: SimulatorControl) -> None:
    attached = client.primary_storage.attach_to_cluster(CLUSTER_1_UUID, NFS_1_UUID)
    assert attached.attached_cluster_uuids == [CLUSTER_1_UUID]
    (submit,) = api_requests(control, "POST", "/primary-storage/")
    assert submit["path"] == f"/zstack/v1/clusters/{CLUSTER_1_UUID}/primary-storage/{NFS_1_UUID}"
    assert client.primary_storage.get_shared(NFS_1_UUID).attached_cluster_uuids == [CLUSTER_1_UUID]
    detached = client.primary_storage.detach_from_cluster(CLUSTER_1_UUID, NFS_1_UUID)
    assert detached.attached_cluster_uuids == []


def test_primary_storage_refusals_by_code(client: ZStackClient) -> None:
    with pytest.raises(JobFailedError) as attached:
        client.primary_storage.attach_to_cluster(CLUSTER_1_UUID, LOCAL_1_UUID)
    assert attached.value.code == "SYS.1006"
    with pytest.raises(JobFailedError) as other_zone:
        client.primary_storage.attach_to_cluster(CLUSTER_2_UUID, NFS_1_UUID)
    assert other_zone.value.code == "SYS.1007"
    with pytest.raises(JobFailedError) as not_attached:
        client.primary_storage.detach_from_cluster(CLUSTER_1_UUID, NFS_1_UUID)
    assert not_attached.value.code == "SYS.1007"
    with pytest.raises(NotFoundError) as missing:
        client.primary_storage.attach_to_cluster(MISSING, NFS_1_UUID)
    assert missing.value.code == "SYS.1003"


def test_l2_network_attach_and_detach(client: ZStackClient, control: SimulatorControl) -> None:
    attached = client.l2_networks.attach_to_cluster(L2_VLAN_100_UUID, CLUSTER_1_UUID)
    assert isinstance(attached, L2NetworkInventory)
    assert (attached.vlan, attached.physical_interface, attached.attached_cluster_uuids) == (
        100,
        "eth1",
        [CLUSTER_1_UUID],
    )
    (submit,) = api_requests(control, "POST", "/l2-networks/")
    assert submit["path"] == f"/zstack/v1/l2-networks/{L2_VLAN_100_UUID}/clusters/{CLUSTER_1_UUID}"
    assert client.l2_networks.get(L2_VLAN_100_UUID).attached_cluster_uuids == [CLUSTER_1_UUID]
    assert (
        client.l2_networks.detach_from_cluster(L2_VLAN_100_UUID, CLUSTER_1_UUID).attached_cluster_uuids == []
    )
    novlan = client.l2_networks.get(L2_NOVLAN_ETH0_UUID)
    assert (novlan.vlan, novlan.v_switch_type, novlan.type) == (None, "LinuxBridge", "L2NoVlanNetwork")


def test_l2_network_refusals_by_code(client: ZStackClient) -> None:
    with pytest.raises(JobFailedError) as attached:
        client.l2_networks.attach_to_cluster(L2_NOVLAN_ETH0_UUID, CLUSTER_1_UUID)
    assert attached.value.code == "SYS.1006"
    with pytest.raises(JobFailedError) as not_attached:
        client.l2_networks.detach_from_cluster(L2_VLAN_100_UUID, CLUSTER_1_UUID)
    assert not_attached.value.code == "SYS.1006"
    with pytest.raises(JobFailedError) as same_vlan:
        client.l2_networks.attach_to_cluster(L2_VLAN_10_B_UUID, CLUSTER_1_UUID)
    assert same_vlan.value.code == "L2.1000"
    with pytest.raises(NotFoundError):
        client.l2_networks.detach_from_cluster(MISSING, CLUSTER_1_UUID)
