"""``PrimaryStorageClusterAttachment`` and ``L2NetworkClusterAttachment`` as the engine runs them:
``python -m pulumi.dynamic`` over gRPC, against the simulator of each profile.

The expected codes come from the node's interceptors (``PrimaryStorageApiInterceptor``,
``L2NetworkApiInterceptor``, ``L2NoVlanNetwork``), the objects from the default seed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from pulumi_zstack.client import ZStackClient
from pulumi_zstack.l2_network_cluster_attachment import L2NetworkClusterAttachmentProvider
from pulumi_zstack.primary_storage_cluster_attachment import PrimaryStorageClusterAttachmentProvider
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import (
    ADMIN_PASSWORD,
    CLUSTER_1_UUID,
    L2_NOVLAN_ETH0_UUID,
    L2_VLAN_10_B_UUID,
    L2_VLAN_100_UUID,
    LOCAL_1_UUID,
    LOCAL_2_UUID,
    NFS_1_UUID,
)
from tests.conftest import Profile
from tests.provider.host import ProviderError, ProviderHost

UNKNOWN_CLUSTER = "0" * 31 + "1"


@dataclass(frozen=True)
class Kind:
    """One attachment resource and the seed's pairs that exercise it."""

    name: str
    provider: type
    fields: tuple[str, str]
    free: tuple[str, str]  # a pair the node accepts
    attached: tuple[str, str]  # a pair attached in the seed
    conflict: tuple[str, str]  # a pair the node refuses for another reason
    conflict_code: str
    path: str  # the attach path of a pair, with {0} and {1}
    expected: dict[str, object]  # outputs of the free pair's inventory


PS = Kind(
    name="PrimaryStorageClusterAttachment",
    provider=PrimaryStorageClusterAttachmentProvider,
    fields=("clusterUuid", "primaryStorageUuid"),
    free=(CLUSTER_1_UUID, NFS_1_UUID),
    attached=(CLUSTER_1_UUID, LOCAL_1_UUID),
    # local-2 has the url of local-1, which is attached to cluster-1: SYS.1007.
    conflict=(CLUSTER_1_UUID, LOCAL_2_UUID),
    conflict_code="SYS.1007",
    path="/zstack/v1/clusters/{0}/primary-storage/{1}",
    expected={"name": "nfs-1", "type": "NFS", "url": "192.168.100.20:/nfs_root"},
)
L2 = Kind(
    name="L2NetworkClusterAttachment",
    provider=L2NetworkClusterAttachmentProvider,
    fields=("l2NetworkUuid", "clusterUuid"),
    free=(L2_VLAN_100_UUID, CLUSTER_1_UUID),
    attached=(L2_NOVLAN_ETH0_UUID, CLUSTER_1_UUID),
    # l2-vlan-10-b: eth1 and VLAN 10, as l2-vlan-10 already attached to cluster-1: L2.1000.
    conflict=(L2_VLAN_10_B_UUID, CLUSTER_1_UUID),
    conflict_code="L2.1000",
    path="/zstack/v1/l2-networks/{0}/clusters/{1}",
    expected={"name": "l2-vlan-100", "type": "L2VlanNetwork", "physicalInterface": "eth1", "vlan": 100},
)


@pytest.fixture(scope="session")
def simulator(profile_simulator: SimulatorProcess) -> SimulatorProcess:
    return profile_simulator


@pytest.fixture(params=[PS, L2], ids=["primary-storage", "l2-network"])
def kind(request: pytest.FixtureRequest) -> Kind:
    kind: Kind = request.param
    return kind


@pytest.fixture
def host(
    simulator: SimulatorProcess, sim: SimulatorControl, profile: Profile, kind: Kind
) -> Iterator[ProviderHost]:
    with ProviderHost(provider=kind.provider) as h:
        h.configure(
            {"zstack:endpoint": simulator.url, **{f"zstack:{k}": v for k, v in profile.settings.items()}}
        )
        yield h


def _props(kind: Kind, pair: tuple[str, str], **extra: object) -> dict[str, object]:
    return {kind.fields[0]: pair[0], kind.fields[1]: pair[1], **extra}


def _id(pair: tuple[str, str]) -> str:
    return f"{pair[0]}:{pair[1]}"


def _attached(sim: SimulatorControl, kind: Kind, pair: tuple[str, str]) -> bool:
    with ZStackClient(sim.url, account_name="admin", account_password=ADMIN_PASSWORD) as client:
        if kind is PS:
            return pair[0] in client.primary_storage.get(pair[1]).attached_cluster_uuids
        return pair[1] in client.l2_networks.get(pair[0]).attached_cluster_uuids


def test_check_names_the_malformed_field(host: ProviderHost, kind: Kind, sim: SimulatorControl) -> None:
    _, failures = host.check({kind.fields[0]: "not-a-uuid", kind.fields[1]: kind.free[1]})
    assert [field for field, _ in failures] == [kind.fields[0]]
    assert "32 lowercase hexadecimal characters" in failures[0][1]
    _, failures = host.check({kind.fields[0]: kind.free[0]})
    assert failures == [(kind.fields[1], failures[0][1])] and "is required" in failures[0][1]
    assert sim.requests() == []


def test_create_attaches_and_outputs_the_inventory(
    host: ProviderHost, kind: Kind, sim: SimulatorControl
) -> None:
    id_, outs = host.create(_props(kind, kind.free))
    assert id_ == _id(kind.free)
    assert sim.writes() == [("POST", kind.path.format(*kind.free))]
    assert {k: outs[k] for k in kind.expected} == kind.expected
    assert CLUSTER_1_UUID in outs["attachedClusterUuids"]
    assert outs["attachedClusterUuids"] == sorted(outs["attachedClusterUuids"])
    assert "uuid" not in outs and "ownerKey" not in outs
    assert _attached(sim, kind, kind.free)


def test_read_follows_the_node(
    host: ProviderHost, kind: Kind, sim: SimulatorControl, simulator: SimulatorProcess, profile: Profile
) -> None:
    _, outs = host.create(_props(kind, kind.free))
    assert host.read(_id(kind.free), outs)[0] == _id(kind.free)
    host.delete(_id(kind.free), outs)
    # A new process: reads share a scan per process, as in a refresh.
    with ProviderHost(provider=kind.provider) as fresh:
        fresh.configure(
            {"zstack:endpoint": simulator.url, **{f"zstack:{k}": v for k, v in profile.settings.items()}}
        )
        assert fresh.read(_id(kind.free), outs)[0] == ""
        with pytest.raises(ProviderError, match=r"\.get\(.*are not attached"):
            fresh.read(_id(kind.free), None)


def test_delete_is_idempotent(host: ProviderHost, kind: Kind, sim: SimulatorControl) -> None:
    _, outs = host.create(_props(kind, kind.free))
    host.delete(_id(kind.free), outs)
    assert not _attached(sim, kind, kind.free)
    # Detaching a detached pair: the node refuses (SYS.1007 for primary storage, SYS.1006 for L2);
    # the read-back shows the pair detached, so the delete succeeds.
    host.delete(_id(kind.free), outs)
    assert host.printed("already detached")


def test_an_attached_pair_is_not_taken_over_without_adopt(
    host: ProviderHost, kind: Kind, sim: SimulatorControl
) -> None:
    with pytest.raises(ProviderError) as err:
        host.create(_props(kind, kind.attached))
    message = str(err.value)
    assert "already attached, and not by this resource" in message and "adopt=True" in message
    assert f'{kind.name}.get("<name>", "{_id(kind.attached)}")' in message
    # Its attach was refused by the node (SYS.1006): nothing changed.
    assert sim.writes() == [("POST", kind.path.format(*kind.attached))] and sim.changes() == []
    id_, outs = host.create(_props(kind, kind.attached, adopt=True))
    assert id_ == _id(kind.attached) and outs["adopt"] is True
    assert sim.changes() == [] and _attached(sim, kind, kind.attached)


def test_a_refusal_is_one_line_with_the_code(host: ProviderHost, kind: Kind, sim: SimulatorControl) -> None:
    with pytest.raises(ProviderError) as err:
        host.create(_props(kind, kind.conflict))
    line = str(err.value).strip().splitlines()[-1]
    assert kind.conflict_code in line and "cannot attach" in line
    assert not _attached(sim, kind, kind.conflict)


def test_an_unknown_cluster_is_named_and_nothing_changes(
    host: ProviderHost, kind: Kind, sim: SimulatorControl
) -> None:
    pair = (UNKNOWN_CLUSTER, kind.free[1]) if kind is PS else (kind.free[0], UNKNOWN_CLUSTER)
    with pytest.raises(ProviderError, match=f"clusterUuid {UNKNOWN_CLUSTER} names no cluster"):
        host.create(_props(kind, pair))
    assert sim.changes() == []
