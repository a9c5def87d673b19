"""The fault matrix for the cluster attachments (primary storage and L2 network): the same faults
as the backup storage's, through the same core."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pulumi
import pytest

from pulumi_zstack import L2NetworkClusterAttachment, PrimaryStorageClusterAttachment
from pulumi_zstack.client import ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import (
    ADMIN_PASSWORD,
    CLUSTER_1_UUID,
    L2_VLAN_10_B_UUID,
    L2_VLAN_100_UUID,
    NFS_1_UUID,
)
from tests.reliability.conftest import Matrix
from tests.reliability.harness import Stack, now_of

pytestmark = pytest.mark.e2e

PS_PATH = f"/zstack/v1/clusters/{CLUSTER_1_UUID}/primary-storage/{NFS_1_UUID}"
L2_PATH = f"/zstack/v1/l2-networks/{L2_VLAN_100_UUID}/clusters/{CLUSTER_1_UUID}"


class ClusterStack(Stack):
    """A stack whose program attaches nfs-1 and an L2 network (``self.l2``) to cluster-1."""

    l2 = L2_VLAN_100_UUID

    def _declare(self) -> None:
        PrimaryStorageClusterAttachment("disks", cluster_uuid=CLUSTER_1_UUID, primary_storage_uuid=NFS_1_UUID)
        L2NetworkClusterAttachment("network", l2_network_uuid=self.l2, cluster_uuid=CLUSTER_1_UUID)
        pulumi.export("count", 2)


@pytest.fixture
def stack(tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl) -> ClusterStack:
    return ClusterStack(tmp_path, rel_simulator.url)


@pytest.fixture
def client(rel_simulator: SimulatorProcess, control: SimulatorControl) -> Iterator[ZStackClient]:
    with ZStackClient(rel_simulator.url, account_name="admin", account_password=ADMIN_PASSWORD) as c:
        yield c


def _attached(client: ZStackClient) -> tuple[bool, bool]:
    return (
        CLUSTER_1_UUID in client.primary_storage.get(NFS_1_UUID).attached_cluster_uuids,
        CLUSTER_1_UUID in client.l2_networks.get(L2_VLAN_100_UUID).attached_cluster_uuids,
    )


def test_transient_failures_of_cluster_attaches(
    stack: ClusterStack, control: SimulatorControl, client: ZStackClient, matrix: Matrix
) -> None:
    observe = matrix(
        "cluster attachments",
        "502 without body on the first submit of each cluster attach, a dropped answer on each detach",
        "retried with the same job uuid: one job per pair; up, refresh and destroy succeed",
    )
    for path in (PS_PATH, L2_PATH):
        control.add_fault(method="POST", path=f"{path}$", action="status", status=502)
        control.add_fault(method="DELETE", path=f"{path}$", action="drop")
    stack.up()
    assert _attached(client) == (True, True)
    stack.refresh(expect_no_changes=True)
    stack.destroy()
    assert _attached(client) == (False, False)
    jobs = [j for j in control.jobs() if j["path"] in (PS_PATH, L2_PATH)]
    per_call = sorted((j["method"], j["path"]) for j in jobs)
    assert per_call == sorted({(m, p) for m in ("POST", "DELETE") for p in (PS_PATH, L2_PATH)}), per_call
    assert {j["status"] for j in jobs} == {"succeeded"}
    observe(f"{len(jobs)} jobs for 2 pairs (one attach and one detach each), all succeeded")


def test_cluster_attachments_drift_and_refusals(
    stack: ClusterStack, control: SimulatorControl, client: ZStackClient, matrix: Matrix
) -> None:
    observe = matrix(
        "cluster attachments",
        "both pairs detached out of band; then an L2 network whose interface and VLAN cluster-1 already uses",
        "refresh drops both, up re-attaches them; the conflicting attach fails with one line naming L2.1000 "
        "and nothing changes",
    )
    stack.up()
    client.primary_storage.detach_from_cluster(CLUSTER_1_UUID, NFS_1_UUID)
    client.l2_networks.detach_from_cluster(L2_VLAN_100_UUID, CLUSTER_1_UUID)
    refreshed = stack.refresh()
    assert dict(refreshed.summary.resource_changes or {}).get("delete") == 2
    stack.up()
    assert _attached(client) == (True, True)
    observe("refresh dropped 2 gone pairs; up attached them again")
    stack.l2 = L2_VLAN_10_B_UUID
    since = now_of(control)
    output = stack.fails("up")
    line = next(line for line in output.splitlines() if "cannot attach" in line and "L2.1000" in line)
    assert L2_VLAN_10_B_UUID in line
    assert CLUSTER_1_UUID not in client.l2_networks.get(L2_VLAN_10_B_UUID).attached_cluster_uuids
    assert not [
        e for e in control.requests(since) if e["method"] == "DELETE" and "/accounts/" not in e["path"]
    ]
    observe(f"up failed: {line.strip()[:200]}")
    stack.l2 = L2_VLAN_100_UUID
    stack.refresh(expect_no_changes=True)
    stack.destroy()
    assert _attached(client) == (False, False)
    observe("with the program fixed: refresh shows no change; destroy detaches both")
