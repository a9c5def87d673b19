"""Program-side lookups against the simulator, configured through the environment fallback."""

from __future__ import annotations

import pytest

from pulumi_zstack import (
    ZStackLookupError,
    get_backup_storage,
    get_cluster,
    get_l2_network,
    get_primary_storage,
    get_zone,
)
from pulumi_zstack.client import ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl
from pulumi_zstack.simulator.seed import (
    ADMIN_PASSWORD,
    CLUSTER_1_UUID,
    CLUSTER_2_UUID,
    IMAGESTORE_1_UUID,
    L2_VLAN_10_UUID,
    NFS_1_UUID,
    ZONE_1_UUID,
    ZONE_2_UUID,
)


@pytest.fixture
def zstack_env(sim: SimulatorControl, monkeypatch: pytest.MonkeyPatch) -> SimulatorControl:
    monkeypatch.setenv("ZSTACK_ENDPOINT", sim.url)
    monkeypatch.setenv("ZSTACK_ACCOUNT_NAME", "admin")
    monkeypatch.setenv("ZSTACK_ACCOUNT_PASSWORD", ADMIN_PASSWORD)
    return sim


def test_lookup_by_name_and_by_uuid(zstack_env: SimulatorControl) -> None:
    assert get_zone(name="zone-1").uuid == ZONE_1_UUID
    assert get_zone(uuid=ZONE_2_UUID).name == "zone-2"
    storage = get_backup_storage(name="imagestore-1")
    assert storage.uuid == IMAGESTORE_1_UUID
    assert storage.total_capacity == 1099511627776


def test_no_match_is_a_clear_error(zstack_env: SimulatorControl) -> None:
    with pytest.raises(ZStackLookupError, match="get_zone: no zone with name='nowhere' in ZStack"):
        get_zone(name="nowhere")
    with pytest.raises(ZStackLookupError, match="get_backup_storage: no backup storage with"):
        get_backup_storage(name="imagestore-1", uuid="0" * 32)


def test_more_than_one_match_asks_for_a_uuid(zstack_env: SimulatorControl) -> None:
    with ZStackClient(zstack_env.url, account_name="admin", account_password=ADMIN_PASSWORD) as client:
        twin = client.zones.create("zone-1").uuid
    with pytest.raises(ZStackLookupError, match=f"more than one zone with name='zone-1'.*{twin}.*by uuid"):
        get_zone(name="zone-1")


def test_a_lookup_needs_a_name_or_uuid(zstack_env: SimulatorControl) -> None:
    with pytest.raises(ZStackLookupError, match="pass name= or uuid="):
        get_zone()


def test_missing_settings_name_config_and_environment() -> None:
    # Settings errors are lookup errors too (one line, no traceback), naming the setting.
    with pytest.raises(ZStackLookupError, match=r"get_zone: .*'zstack:endpoint' \(env ZSTACK_ENDPOINT\)"):
        get_zone(name="zone-1")


def test_cluster_primary_storage_and_l2_network_lookups(zstack_env: SimulatorControl) -> None:
    assert get_cluster(name="cluster-1").uuid == CLUSTER_1_UUID
    assert get_cluster(uuid=CLUSTER_2_UUID).name == "cluster-2"
    storage = get_primary_storage(name="nfs-1")
    assert (storage.uuid, storage.type) == (NFS_1_UUID, "NFS")
    network = get_l2_network(name="l2-vlan-10")
    assert (network.uuid, network.vlan) == (L2_VLAN_10_UUID, 10)


def test_new_lookups_fail_in_one_line(zstack_env: SimulatorControl) -> None:
    with pytest.raises(ZStackLookupError, match=r"^get_cluster: no cluster with name='nowhere' in ZStack$"):
        get_cluster(name="nowhere")
    with pytest.raises(
        ZStackLookupError, match=r"^get_primary_storage: no primary storage with uuid='0{32}' in ZStack$"
    ):
        get_primary_storage(uuid="0" * 32)
    with pytest.raises(ZStackLookupError, match=r"^get_l2_network: no L2 network with name='x' in ZStack$"):
        get_l2_network(name="x")
    with pytest.raises(ZStackLookupError, match="get_l2_network: pass name= or uuid="):
        get_l2_network()


def test_a_refused_login_names_the_password_setting(
    zstack_env: SimulatorControl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZSTACK_ACCOUNT_PASSWORD", "not-the-password")
    with pytest.raises(ZStackLookupError) as err:
        get_zone(name="zone-1")
    assert "ID.1000" in str(err.value) and "'zstack:accountPassword'" in str(err.value)
    assert "not-the-password" not in str(err.value)


def test_lookups_leave_no_session_open(zstack_env: SimulatorControl) -> None:
    get_zone(name="zone-1")
    get_backup_storage(name="imagestore-1")
    stats = zstack_env.stats()
    assert stats["logins"] == stats["logouts"] == 2 and stats["activeSessions"] == 0
