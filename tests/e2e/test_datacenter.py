"""End-to-end with the real engine: ``examples/datacenter`` (a backup storage, a primary storage and
an L2 network attached in one program) through preview, up, drift, repair, replacement and destroy,
and the new resources' adoption and bad input."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_zstack import L2NetworkClusterAttachment, PrimaryStorageClusterAttachment
from pulumi_zstack.client import ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import (
    ADMIN_PASSWORD,
    CLUSTER_1_UUID,
    IMAGESTORE_1_UUID,
    L2_NOVLAN_ETH0_UUID,
    L2_VLAN_100_UUID,
    LOCAL_1_UUID,
    NFS_1_UUID,
    ZONE_1_UUID,
)
from scripts.engine import REPO, inline_stack, stack_config
from tests.conftest import reset_control

pytestmark = pytest.mark.e2e

L2_VLAN_101_UUID = "7e0a2b4c6d8f40a1b2c3d4e5f6a7b801"


def _datacenter_program() -> Callable[[], None]:
    path = REPO / "examples" / "datacenter" / "program.py"
    spec = importlib.util.spec_from_file_location("datacenter_program", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    main: Callable[[], None] = module.main
    return main


@pytest.fixture(scope="module")
def dc_simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorProcess]:
    """The default seed plus a second free VLAN network on cluster-1's interface eth1."""
    seed = json.loads(files("pulumi_zstack.simulator").joinpath("default_seed.json").read_text())
    seed["l2Networks"].append(
        {
            "uuid": L2_VLAN_101_UUID,
            "name": "l2-vlan-101",
            "zoneUuid": ZONE_1_UUID,
            "type": "L2VlanNetwork",
            "physicalInterface": "eth1",
            "vlan": 101,
            "attachedClusterUuids": [],
        }
    )
    path = tmp_path_factory.mktemp("dc-seed") / "seed.json"
    path.write_text(json.dumps(seed))
    with SimulatorProcess(job_delay=0.05, seed=path) as process:
        yield process


@pytest.fixture
def control(dc_simulator: SimulatorProcess) -> Iterator[SimulatorControl]:
    yield from reset_control(dc_simulator.url)


@pytest.fixture
def client(dc_simulator: SimulatorProcess, control: SimulatorControl) -> Iterator[ZStackClient]:
    with ZStackClient(dc_simulator.url, account_name="admin", account_password=ADMIN_PASSWORD) as c:
        yield c


def _stack(root: Path, url: str, program: Callable[[], None], **config: str) -> auto.Stack:
    return inline_stack(
        root,
        stack_name="dc",
        program=program,
        config=stack_config(url, password=ADMIN_PASSWORD, extra=config),
    )


def _pairs(client: ZStackClient) -> dict[str, set[str]]:
    """What is attached to cluster-1 and zone-1, as the node says."""
    return {
        "ps": {
            ps.uuid for ps in client.primary_storage.query() if CLUSTER_1_UUID in ps.attached_cluster_uuids
        },
        "l2": {l2.uuid for l2 in client.l2_networks.query() if CLUSTER_1_UUID in l2.attached_cluster_uuids},
        "bs": {bs.uuid for bs in client.backup_storage.query() if ZONE_1_UUID in bs.attached_zone_uuids},
    }


def test_the_datacenter_example_through_its_life(
    tmp_path: Path, dc_simulator: SimulatorProcess, control: SimulatorControl, client: ZStackClient
) -> None:
    stack = _stack(tmp_path, dc_simulator.url, _datacenter_program())
    before = _pairs(client)

    assert dict(stack.preview().change_summary) == {"create": 4}
    assert control.writes() == []  # the lookups only read (and log out)

    up = stack.up()
    outputs = {k: v.value for k, v in up.outputs.items()}
    assert outputs["primaryStorageAttachment"] == f"{CLUSTER_1_UUID}:{NFS_1_UUID}"
    assert outputs["l2NetworkAttachment"] == f"{L2_VLAN_100_UUID}:{CLUSTER_1_UUID}"
    assert outputs["backupStorageAttachment"] == f"{ZONE_1_UUID}:{IMAGESTORE_1_UUID}"
    assert (outputs["disksUrl"], outputs["networkInterface"], outputs["networkVlan"]) == (
        "192.168.100.20:/nfs_root",
        "eth1",
        100,
    )
    assert CLUSTER_1_UUID in outputs["clusterPrimaryStorages"]
    assert _pairs(client) == {
        "ps": before["ps"] | {NFS_1_UUID},
        "l2": before["l2"] | {L2_VLAN_100_UUID},
        "bs": before["bs"] | {IMAGESTORE_1_UUID},
    }
    stack.refresh(expect_no_changes=True)

    # An operator detaches the primary storage and the L2 network behind Pulumi's back.
    client.primary_storage.detach_from_cluster(CLUSTER_1_UUID, NFS_1_UUID)
    client.l2_networks.detach_from_cluster(L2_VLAN_100_UUID, CLUSTER_1_UUID)
    drift = dict(stack.preview(refresh=True).change_summary)
    assert drift == {"create": 2, "same": 2}, drift
    stack.up(refresh=True)
    assert {NFS_1_UUID} <= _pairs(client)["ps"] and {L2_VLAN_100_UUID} <= _pairs(client)["l2"]
    stack.refresh(expect_no_changes=True)

    # Another L2 network: the attachment is replaced (the new one attached, then the old detached).
    stack.set_config("l2NetworkName", auto.ConfigValue("l2-vlan-101"))
    replaced = stack.up()
    assert dict(replaced.summary.resource_changes or {}).get("replace") == 1
    assert L2_VLAN_101_UUID in _pairs(client)["l2"] and L2_VLAN_100_UUID not in _pairs(client)["l2"]

    stack.destroy()
    assert _pairs(client) == before


def test_attached_pairs_need_adopt_and_bad_input_fails_in_preview(
    tmp_path: Path, dc_simulator: SimulatorProcess, control: SimulatorControl, client: ZStackClient
) -> None:
    adopt: dict[str, Any] = {"value": None}

    def program() -> None:
        PrimaryStorageClusterAttachment(
            "local", cluster_uuid=CLUSTER_1_UUID, primary_storage_uuid=LOCAL_1_UUID, adopt=adopt["value"]
        )
        L2NetworkClusterAttachment(
            "eth0", l2_network_uuid=L2_NOVLAN_ETH0_UUID, cluster_uuid=CLUSTER_1_UUID, adopt=adopt["value"]
        )
        pulumi.export("done", True)

    stack = _stack(tmp_path, dc_simulator.url, program)
    with pytest.raises(auto.CommandError) as err:
        stack.up()
    text = str(err.value)
    for name, pair in (
        ("PrimaryStorageClusterAttachment", f"{CLUSTER_1_UUID}:{LOCAL_1_UUID}"),
        ("L2NetworkClusterAttachment", f"{L2_NOVLAN_ETH0_UUID}:{CLUSTER_1_UUID}"),
    ):
        assert f'{name}.get("<name>", "{pair}")' in text
    assert "adopt=True" in text
    adopt["value"] = True
    stack.up()
    # Both creates were refused by the node (SYS.1006) and adopted the pairs: nothing changed.
    assert control.changes() == []
    assert LOCAL_1_UUID in _pairs(client)["ps"] and L2_NOVLAN_ETH0_UUID in _pairs(client)["l2"]
    stack.destroy()  # adopted: destroying detaches them
    assert LOCAL_1_UUID not in _pairs(client)["ps"] and L2_NOVLAN_ETH0_UUID not in _pairs(client)["l2"]

    def bad() -> None:
        PrimaryStorageClusterAttachment("bad", cluster_uuid="cluster-1", primary_storage_uuid=NFS_1_UUID)

    bad_stack = _stack(tmp_path / "bad", dc_simulator.url, bad)
    with pytest.raises(auto.CommandError) as err:
        bad_stack.preview()
    assert "clusterUuid must be 32 lowercase hexadecimal characters, got 'cluster-1'" in str(err.value)
