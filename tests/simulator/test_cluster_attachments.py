"""Clusters, primary storages and L2 networks: queries, and their attachment to clusters with the
management node's checks, in its order.

Expected codes and texts are the node's (zstackio/zstack): ``PrimaryStorageApiInterceptor.java``,
``L2NetworkApiInterceptor.java``, ``L2NoVlanNetwork.java`` (attachL2NetworkToCluster and the API
handler's ``err(L2Errors.ATTACH_ERROR, ...)``), ``PortApiValidator.java`` (missing resources) and
``conf/errorCodes/{sys,l2}.xml``. The seed objects are those of ``default_seed.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_zstack.simulator.process import SimulatorControl
from pulumi_zstack.simulator.seed import (
    CLUSTER_1_UUID,
    CLUSTER_2_UUID,
    L2_NOVLAN_ETH0_B_UUID,
    L2_NOVLAN_ETH0_UUID,
    L2_OVS_ETH0_UUID,
    L2_VLAN_10_B_UUID,
    L2_VLAN_10_UUID,
    L2_VLAN_100_UUID,
    L2_ZONE_2_UUID,
    LOCAL_1_UUID,
    LOCAL_2_UUID,
    NFS_1_UUID,
    NFS_2_UUID,
    ZONE_1_UUID,
    ZONE_2_UUID,
    SeedError,
    load_seed,
    parse_seed,
)
from tests.simulator.zstack import ZStackHttp

MISSING = "0" * 32


def _error(response: object) -> dict[str, object]:
    assert getattr(response, "status_code", None) == 503
    error: dict[str, object] = response.json()["error"]  # type: ignore[attr-defined]
    return error


def _attach_ps(zs: ZStackHttp, cluster: str, ps: str) -> object:
    return zs.call("POST", f"/clusters/{cluster}/primary-storage/{ps}", json={"params": {}})


def _detach_ps(zs: ZStackHttp, cluster: str, ps: str) -> object:
    return zs.call("DELETE", f"/clusters/{cluster}/primary-storage/{ps}")


def _attach_l2(zs: ZStackHttp, l2: str, cluster: str) -> object:
    return zs.call("POST", f"/l2-networks/{l2}/clusters/{cluster}")


def _detach_l2(zs: ZStackHttp, l2: str, cluster: str) -> object:
    return zs.call("DELETE", f"/l2-networks/{l2}/clusters/{cluster}")


# -- queries ---------------------------------------------------------------------------------------


def test_clusters_are_queried_by_collection_and_uuid(zs: ZStackHttp) -> None:
    clusters = zs.inventories("/clusters", q=f"zoneUuid={ZONE_2_UUID}")
    assert [c["uuid"] for c in clusters] == [CLUSTER_2_UUID]
    (cluster,) = zs.inventories(f"/clusters/{CLUSTER_1_UUID}")
    assert {k: cluster[k] for k in ("name", "zoneUuid", "hypervisorType", "state", "type")} == {
        "name": "cluster-1",
        "zoneUuid": ZONE_1_UUID,
        "hypervisorType": "KVM",
        "state": "Enabled",
        "type": "zstack",
    }
    assert zs.get("/clusters", q="name=cluster-1").json()["schema"] == {
        "inventories[0]": "org.zstack.header.cluster.ClusterInventory"
    }


def test_primary_storage_inventory_has_the_nodes_fields(zs: ZStackHttp) -> None:
    (ps,) = zs.inventories("/primary-storage", q=f"uuid={LOCAL_1_UUID}")
    assert ps["attachedClusterUuids"] == [CLUSTER_1_UUID]
    # PrimaryStorageInventory.java: capacities are Longs, the zone, url, type, state, status, mountPath.
    assert {k: ps[k] for k in ("name", "zoneUuid", "url", "type", "state", "status", "totalCapacity")} == {
        "name": "local-1",
        "zoneUuid": ZONE_1_UUID,
        "url": "/zstack_ps",
        "type": "LocalStorage",
        "state": "Enabled",
        "status": "Connected",
        "totalCapacity": 1099511627776,
    }
    assert {"availableCapacity", "totalPhysicalCapacity", "availablePhysicalCapacity", "mountPath"} <= set(ps)
    attached = zs.inventories("/primary-storage", q=f"attachedClusterUuids={CLUSTER_1_UUID}")
    assert [p["uuid"] for p in attached] == [LOCAL_1_UUID]


def test_primary_storage_has_no_get_by_uuid_path(zs: ZStackHttp) -> None:
    # APIQueryPrimaryStorageMsg declares only /primary-storage; /primary-storage/{uuid} belongs to
    # DeletePrimaryStorage.
    assert zs.get(f"/primary-storage/{NFS_1_UUID}").status_code == 405
    assert len(zs.inventories("/primary-storage", q=f"uuid={NFS_1_UUID}")) == 1


def test_l2_networks_carry_vlan_only_when_they_have_one(zs: ZStackHttp) -> None:
    (vlan,) = zs.inventories(f"/l2-networks/{L2_VLAN_10_UUID}")
    (novlan,) = zs.inventories(f"/l2-networks/{L2_NOVLAN_ETH0_UUID}")
    assert {
        k: vlan.get(k) for k in ("type", "physicalInterface", "vlan", "virtualNetworkId", "vSwitchType")
    } == {
        "type": "L2VlanNetwork",
        "physicalInterface": "eth1",
        "vlan": 10,
        "virtualNetworkId": 10,
        "vSwitchType": "LinuxBridge",
    }
    assert "vlan" not in novlan
    assert (novlan["virtualNetworkId"], novlan["isolated"]) == (0, False)
    schema = zs.get("/l2-networks", q=f"uuid?={L2_VLAN_10_UUID},{L2_NOVLAN_ETH0_UUID}", sort="+name").json()[
        "schema"
    ]
    assert schema == {
        "inventories[0]": "org.zstack.header.network.l2.L2NetworkInventory",
        "inventories[1]": "org.zstack.header.network.l2.L2VlanNetworkInventory",
    }


# -- primary storage to cluster --------------------------------------------------------------------


def test_attach_then_detach_primary_storage(zs: ZStackHttp, control: SimulatorControl) -> None:
    attached = _attach_ps(zs, CLUSTER_1_UUID, NFS_1_UUID)
    assert attached.status_code == 200  # type: ignore[attr-defined]
    assert attached.json()["inventory"]["attachedClusterUuids"] == [CLUSTER_1_UUID]  # type: ignore[attr-defined]
    assert {"primaryStorageUuid": NFS_1_UUID, "clusterUuid": CLUSTER_1_UUID}.items() <= (
        control.primary_storage_attachments()[-1].items()
    )
    detached = _detach_ps(zs, CLUSTER_1_UUID, NFS_1_UUID)
    assert detached.status_code == 200  # type: ignore[attr-defined]
    assert detached.json()["inventory"]["attachedClusterUuids"] == []  # type: ignore[attr-defined]


def test_primary_storage_attached_twice_is_sys_1006(zs: ZStackHttp) -> None:
    assert _error(_attach_ps(zs, CLUSTER_1_UUID, LOCAL_1_UUID)) == {
        "code": "SYS.1006",
        "description": "An operation failed",
        "details": f"primary storage[uuid:{LOCAL_1_UUID}] has been attached"
        f" to cluster[uuid:{CLUSTER_1_UUID}]",
    }


def test_primary_storage_of_another_zone_is_sys_1007(zs: ZStackHttp) -> None:
    assert _error(_attach_ps(zs, CLUSTER_2_UUID, NFS_1_UUID)) == {
        "code": "SYS.1007",
        "description": "One or more API argument is invalid",
        "details": f"primary storage[uuid:{NFS_1_UUID}] and cluster[uuid:{CLUSTER_2_UUID}]"
        " are not in the same zone",
    }


def test_url_taken_in_the_cluster_is_sys_1007(zs: ZStackHttp) -> None:
    # local-2 has local-1's url, and local-1 is attached to cluster-1.
    assert _error(_attach_ps(zs, CLUSTER_1_UUID, LOCAL_2_UUID)) == {
        "code": "SYS.1007",
        "description": "One or more API argument is invalid",
        "details": "url[/zstack_ps] has been occupied, it cannot be duplicate in same cluster",
    }


def test_primary_storage_detached_twice_is_sys_1007_not_1006(zs: ZStackHttp) -> None:
    assert _error(_detach_ps(zs, CLUSTER_1_UUID, NFS_1_UUID)) == {
        "code": "SYS.1007",
        "description": "One or more API argument is invalid",
        "details": f"primary storage[uuid:{NFS_1_UUID}] has not been attached"
        f" to cluster[uuid:{CLUSTER_1_UUID}] yet",
    }


def test_missing_cluster_or_primary_storage_is_sys_1003_in_field_order(zs: ZStackHttp) -> None:
    # APIAttachPrimaryStorageToClusterMsg declares clusterUuid first; the detach message primaryStorageUuid.
    assert _error(_attach_ps(zs, MISSING, MISSING))["details"] == (
        f"invalid field[clusterUuid], resource[uuid:{MISSING}, type:ClusterVO] not found"
    )
    assert _error(_detach_ps(zs, MISSING, MISSING))["details"] == (
        f"invalid field[primaryStorageUuid], resource[uuid:{MISSING}, type:PrimaryStorageVO] not found"
    )
    assert _error(_attach_ps(zs, CLUSTER_1_UUID, MISSING))["code"] == "SYS.1003"


# -- L2 network to cluster -------------------------------------------------------------------------


def test_attach_then_detach_l2_network(zs: ZStackHttp, control: SimulatorControl) -> None:
    attached = _attach_l2(zs, L2_VLAN_100_UUID, CLUSTER_1_UUID)
    assert attached.status_code == 200  # type: ignore[attr-defined]
    inventory = attached.json()["inventory"]  # type: ignore[attr-defined]
    assert (inventory["attachedClusterUuids"], inventory["vlan"]) == ([CLUSTER_1_UUID], 100)
    assert {"l2NetworkUuid": L2_VLAN_100_UUID, "clusterUuid": CLUSTER_1_UUID}.items() <= (
        control.l2_network_attachments()[-1].items()
    )
    detached = _detach_l2(zs, L2_VLAN_100_UUID, CLUSTER_1_UUID)
    assert detached.json()["inventory"]["attachedClusterUuids"] == []  # type: ignore[attr-defined]


def test_l2_network_attached_twice_is_sys_1006(zs: ZStackHttp) -> None:
    assert _error(_attach_l2(zs, L2_NOVLAN_ETH0_UUID, CLUSTER_1_UUID)) == {
        "code": "SYS.1006",
        "description": "An operation failed",
        "details": f"l2Network[uuid:{L2_NOVLAN_ETH0_UUID}] has attached to cluster[uuid:{CLUSTER_1_UUID}],"
        " can't attach again",
    }


def test_l2_network_detached_twice_is_sys_1006(zs: ZStackHttp) -> None:
    assert _error(_detach_l2(zs, L2_VLAN_100_UUID, CLUSTER_1_UUID)) == {
        "code": "SYS.1006",
        "description": "An operation failed",
        "details": f"l2Network[uuid:{L2_VLAN_100_UUID}] has not attached to cluster[uuid:{CLUSTER_1_UUID}]",
    }


def test_same_interface_other_vswitch_type_is_sys_1007(zs: ZStackHttp) -> None:
    # l2-ovs-eth0 (OvsDpdk) on eth0, where cluster-1 has l2-novlan-eth0 (LinuxBridge); the node names
    # the first network of the other vSwitch type on eth0 (l2-novlan-eth0).
    assert _error(_attach_l2(zs, L2_OVS_ETH0_UUID, CLUSTER_1_UUID)) == {
        "code": "SYS.1007",
        "description": "One or more API argument is invalid",
        "details": "could not attach l2 network, because there is another network"
        f" [uuid:{L2_NOVLAN_ETH0_UUID}] on physical interface [eth0] with different vswitch type",
    }


def test_same_vlan_on_the_same_interface_fails_the_attach_with_l2_1000(zs: ZStackHttp) -> None:
    refusal = {
        "code": "SYS.1007",
        "description": "One or more API argument is invalid",
        "details": f"There has been a L2VlanNetwork[uuid:{L2_VLAN_10_UUID}, name:l2-vlan-10] attached to"
        f" cluster[uuid:{CLUSTER_1_UUID}] that has physical interface[eth1], vlan[10]. Failed to attach"
        f" L2VlanNetwork[uuid:{L2_VLAN_10_B_UUID}]",
    }
    error = _error(_attach_l2(zs, L2_VLAN_10_B_UUID, CLUSTER_1_UUID))
    assert (error["code"], error["description"], error["cause"]) == (
        "L2.1000",
        "Unable to attach L2Network to a cluster",
        refusal,
    )
    assert error["details"] == "attach l2 network failed:" + json.dumps(refusal, separators=(",", ":"))


def test_same_interface_without_vlan_fails_the_attach_as_an_internal_error(zs: ZStackHttp) -> None:
    refusal = {
        "code": "SYS.1007",
        "description": "One or more API argument is invalid",
        "details": f"There has been a l2Network[uuid:{L2_NOVLAN_ETH0_UUID}, name:l2-novlan-eth0] attached to"
        f" cluster[uuid:{CLUSTER_1_UUID}] that has physical interface[eth0]. Failed to attach"
        f" l2Network[uuid:{L2_NOVLAN_ETH0_B_UUID}]",
    }
    # An ApiMessageInterceptionException is no OperationFailureException: SYS.1000 with the refusal as JSON.
    internal = {
        "code": "SYS.1000",
        "description": "An internal error happened in system",
        "details": json.dumps(refusal, separators=(",", ":")),
    }
    error = _error(_attach_l2(zs, L2_NOVLAN_ETH0_B_UUID, CLUSTER_1_UUID))
    assert (error["code"], error["cause"]) == ("L2.1000", internal)


def test_other_vlans_and_other_clusters_are_accepted(zs: ZStackHttp) -> None:
    assert _attach_l2(zs, L2_VLAN_100_UUID, CLUSTER_1_UUID).status_code == 200  # type: ignore[attr-defined]
    # VLAN 10 again, in zone-2's cluster: neither the interceptor nor the attach compares zones.
    assert _attach_l2(zs, L2_VLAN_10_B_UUID, CLUSTER_2_UUID).status_code == 200  # type: ignore[attr-defined]
    (l2,) = zs.inventories(f"/l2-networks/{L2_VLAN_10_B_UUID}")
    assert l2["attachedClusterUuids"] == [CLUSTER_2_UUID]


def test_missing_l2_network_or_cluster_is_sys_1003(zs: ZStackHttp) -> None:
    assert _error(_attach_l2(zs, MISSING, MISSING))["details"] == (
        f"invalid field[l2NetworkUuid], resource[uuid:{MISSING}, type:L2NetworkVO] not found"
    )
    assert _error(_detach_l2(zs, L2_VLAN_10_UUID, MISSING))["details"] == (
        f"invalid field[clusterUuid], resource[uuid:{MISSING}, type:ClusterVO] not found"
    )


# -- deletes ---------------------------------------------------------------------------------------


def test_deleting_a_cluster_removes_its_attachments(zs: ZStackHttp, control: SimulatorControl) -> None:
    assert zs.call("DELETE", f"/clusters/{CLUSTER_2_UUID}").status_code == 200
    assert zs.inventories("/primary-storage", q=f"uuid={NFS_2_UUID}")[0]["attachedClusterUuids"] == []
    assert zs.inventories(f"/l2-networks/{L2_ZONE_2_UUID}")[0]["attachedClusterUuids"] == []
    assert CLUSTER_2_UUID not in {a["clusterUuid"] for a in control.primary_storage_attachments()}
    assert zs.call("DELETE", f"/clusters/{CLUSTER_2_UUID}").json() == {}  # a missing one: success


def test_deleting_a_primary_storage_or_l2_network_removes_its_attachments(
    zs: ZStackHttp, control: SimulatorControl
) -> None:
    assert zs.call("DELETE", f"/primary-storage/{LOCAL_1_UUID}").status_code == 200
    assert zs.call("DELETE", f"/l2-networks/{L2_VLAN_10_UUID}").status_code == 200
    assert LOCAL_1_UUID not in {a["primaryStorageUuid"] for a in control.primary_storage_attachments()}
    assert L2_VLAN_10_UUID not in {a["l2NetworkUuid"] for a in control.l2_network_attachments()}
    # The url and the VLAN are free again in cluster-1.
    assert _attach_ps(zs, CLUSTER_1_UUID, LOCAL_2_UUID).status_code == 200  # type: ignore[attr-defined]
    assert _attach_l2(zs, L2_VLAN_10_B_UUID, CLUSTER_1_UUID).status_code == 200  # type: ignore[attr-defined]


def test_create_cluster(zs: ZStackHttp) -> None:
    body = {"params": {"zoneUuid": ZONE_2_UUID, "name": "cluster-3", "hypervisorType": "KVM"}}
    created = zs.call("POST", "/clusters", json=body)
    assert created.status_code == 200
    assert created.json()["inventory"]["zoneUuid"] == ZONE_2_UUID
    bad = {"params": {"zoneUuid": ZONE_2_UUID, "name": "cluster-4", "hypervisorType": "Xen"}}
    assert _error(zs.call("POST", "/clusters", json=bad))["details"] == (
        "valid value for field[hypervisorType] of message[org.zstack.header.cluster.APICreateClusterMsg] are"
        " [KVM, Simulator, baremetal, baremetal2, xdragon], but Xen found"
    )


# -- seed ------------------------------------------------------------------------------------------


def test_example_seed_loads_and_seed_references_are_checked() -> None:
    example = load_seed(Path(__file__).parents[2] / "examples" / "seed.json")
    assert [n.vlan for n in example.l2_networks] == [None, 20]
    zone = {"uuid": ZONE_1_UUID, "name": "z"}
    other = {"uuid": ZONE_2_UUID, "name": "y"}
    cluster = {"uuid": CLUSTER_2_UUID, "name": "c", "zoneUuid": ZONE_2_UUID}
    storage = {"name": "p", "zoneUuid": ZONE_1_UUID, "url": "/u", "type": "NFS"}
    with pytest.raises(SeedError, match="not a cluster of its zone"):
        parse_seed(
            {
                "zones": [zone, other],
                "clusters": [cluster],
                "primaryStorages": [{**storage, "attachedClusterUuids": [CLUSTER_2_UUID]}],
            }
        )
    with pytest.raises(SeedError, match="vlan is required for L2VlanNetwork"):
        parse_seed(
            {
                "zones": [zone],
                "l2Networks": [
                    {
                        "name": "n",
                        "zoneUuid": ZONE_1_UUID,
                        "type": "L2VlanNetwork",
                        "physicalInterface": "eth0",
                    }
                ],
            }
        )


def test_interface_conflict_is_checked_when_the_attach_runs(
    zs: ZStackHttp, control: SimulatorControl
) -> None:
    # The interceptor passes at submit; the conflict is the attach handler's, judged when the job
    # runs: detaching the VLAN 10 network meanwhile lets the attach succeed.
    control.add_fault(method="POST", path=f"/l2-networks/{L2_VLAN_10_B_UUID}/", action="job_delay", seconds=2)
    submitted = zs.submit("POST", f"/l2-networks/{L2_VLAN_10_B_UUID}/clusters/{CLUSTER_1_UUID}")
    assert submitted.status_code == 202
    assert _detach_l2(zs, L2_VLAN_10_UUID, CLUSTER_1_UUID).status_code == 200  # type: ignore[attr-defined]
    attached = zs.wait(submitted.json()["location"], timeout=10)
    assert attached.status_code == 200
    assert attached.json()["inventory"]["attachedClusterUuids"] == [CLUSTER_1_UUID]


def test_attached_cluster_uuids_list_every_cluster(zs: ZStackHttp) -> None:
    body = {"params": {"zoneUuid": ZONE_1_UUID, "name": "cluster-3", "hypervisorType": "KVM"}}
    cluster_3 = zs.call("POST", "/clusters", json=body).json()["inventory"]["uuid"]
    attached = _attach_l2(zs, L2_VLAN_10_UUID, cluster_3)
    # Built from a HashSet on the node: the members count, not their order.
    assert set(attached.json()["inventory"]["attachedClusterUuids"]) == {CLUSTER_1_UUID, cluster_3}  # type: ignore[attr-defined]
