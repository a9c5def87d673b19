"""The provider as the engine runs it: ``python -m pulumi.dynamic`` over gRPC, against the simulator."""

from __future__ import annotations

import base64
import platform
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest

from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import (
    ACCESS_KEY_ID,
    ACCESS_KEY_SECRET,
    ADMIN_PASSWORD,
    IMAGESTORE_1_UUID,
    SFTP_1_UUID,
    ZONE_1_UUID,
    ZONE_2_UUID,
)
from tests.conftest import DISTINCT_PASSWORD, Profile
from tests.provider.host import PROVIDER, UNKNOWN_INPUT, ProviderError, ProviderHost
from tests.simulator.zstack import ZStackHttp

if TYPE_CHECKING:
    from pulumi_zstack.client import ZStackClient

PAIR = {"zoneUuid": ZONE_1_UUID, "backupStorageUuid": IMAGESTORE_1_UUID}
PAIR_ID = f"{ZONE_1_UUID}:{IMAGESTORE_1_UUID}"
OWNER = "0123456789abcdef0123456789abcdef"  # what the resource class derives from project/stack/name


def _config(simulator: SimulatorProcess, **extra: str) -> dict[str, str]:
    return {
        "zstack:endpoint": simulator.url,
        "zstack:accountName": "admin",
        "zstack:accountPassword": ADMIN_PASSWORD,
        **{f"zstack:{k}": v for k, v in extra.items()},
    }


@pytest.fixture(scope="session")
def simulator(profile_simulator: SimulatorProcess) -> SimulatorProcess:
    """This suite runs against a simulator of each profile (``tests.conftest.PROFILES``)."""
    return profile_simulator


@pytest.fixture
def host(simulator: SimulatorProcess, sim: SimulatorControl, profile: Profile) -> Iterator[ProviderHost]:
    """The provider host, configured as a stack against the profile's node would be."""
    with ProviderHost() as h:
        h.configure(
            {"zstack:endpoint": simulator.url, **{f"zstack:{k}": v for k, v in profile.settings.items()}}
        )
        yield h


def _logins(sim: SimulatorControl) -> int:
    return sum(1 for r in sim.requests() if r["path"].endswith("/accounts/login"))


def _attached(sim: SimulatorControl) -> set[tuple[str, str]]:
    return {(a["zoneUuid"], a["backupStorageUuid"]) for a in sim.attachments()}


# -- check ----------------------------------------------------------------------------------


def test_check_accepts_valid_inputs_without_calling_zstack(host: ProviderHost, sim: SimulatorControl) -> None:
    inputs, failures = host.check({**PAIR, "systemTags": ["a::b"]})
    assert failures == []
    assert inputs["zoneUuid"] == ZONE_1_UUID and inputs["systemTags"] == ["a::b"]
    assert sim.requests() == []


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("zoneUuid", "", "zoneUuid is required"),
        ("zoneUuid", "6B1A3C7E2D4F4A1B9C8D7E6F5A4B3C21", "32 lowercase hexadecimal"),
        (
            "zoneUuid",
            "6b1a3c7e-2d4f-4a1b-9c8d-7e6f5a4b3c21",
            "without dashes: '6b1a3c7e2d4f4a1b9c8d7e6f5a4b3c21'",
        ),
        ("backupStorageUuid", "abc", "backupStorageUuid must be 32 lowercase hexadecimal"),
        ("backupStorageUuid", 42, "must be a string UUID, got the number 42"),
        ("systemTags", "a::b", "systemTags must be a list of strings"),
        ("userTags", ["ok", 3], "userTags[1] must be a string, got the number 3"),
    ],
)
def test_check_names_the_bad_field(
    host: ProviderHost, sim: SimulatorControl, field: str, value: object, expected: str
) -> None:
    _, failures = host.check({**PAIR, field: value})
    assert len(failures) == 1
    assert failures[0][0] == field
    assert expected in failures[0][1]
    assert "\n" not in failures[0][1]
    assert sim.requests() == []


def test_check_skips_unknown_values_during_preview(host: ProviderHost) -> None:
    _, failures = host.check(
        {
            "zoneUuid": UNKNOWN_INPUT,
            "backupStorageUuid": IMAGESTORE_1_UUID,
            "systemTags": ["x", UNKNOWN_INPUT],
        }
    )
    assert failures == []


# -- diff -----------------------------------------------------------------------------------


def test_diff_of_equal_inputs_reports_no_change(host: ProviderHost) -> None:
    resp = host.diff(PAIR_ID, {**PAIR, "totalCapacity": 1, "lastOpDate": "x"}, dict(PAIR))
    assert resp.changes == resp.DIFF_NONE
    assert list(resp.replaces) == []


def test_diff_zone_change_replaces_create_before_delete(host: ProviderHost) -> None:
    resp = host.diff(PAIR_ID, dict(PAIR), {**PAIR, "zoneUuid": ZONE_2_UUID})
    assert resp.changes == resp.DIFF_SOME
    assert list(resp.replaces) == ["zoneUuid"]
    assert not resp.deleteBeforeReplace


def test_diff_unknown_backup_storage_replaces(host: ProviderHost) -> None:
    resp = host.diff(PAIR_ID, dict(PAIR), {**PAIR, "backupStorageUuid": UNKNOWN_INPUT})
    assert list(resp.replaces) == ["backupStorageUuid"]


def test_diff_tag_change_is_an_update_in_place(host: ProviderHost) -> None:
    # ZStack ignores an attach's tags (TagManagerImpl intercepts create messages only), so new
    # tags must not detach and re-attach the pair.
    resp = host.diff(PAIR_ID, {**PAIR, "userTags": ["a"]}, {**PAIR, "userTags": ["a", "b"]})
    assert resp.changes == resp.DIFF_SOME
    assert list(resp.replaces) == []
    assert not resp.deleteBeforeReplace


def test_diff_ignores_tag_order_and_empty_lists(host: ProviderHost) -> None:
    resp = host.diff(PAIR_ID, {**PAIR, "userTags": ["a", "b"]}, {**PAIR, "userTags": ["b", "a"]})
    assert resp.changes == resp.DIFF_NONE
    resp = host.diff(PAIR_ID, dict(PAIR), {**PAIR, "systemTags": []})
    assert resp.changes == resp.DIFF_NONE


# -- create ---------------------------------------------------------------------------------


def test_create_attaches_and_returns_the_inventory(host: ProviderHost, sim: SimulatorControl) -> None:
    id_, outs = host.create({**PAIR, "systemTags": ["k::v"]})
    assert id_ == PAIR_ID
    assert (ZONE_1_UUID, IMAGESTORE_1_UUID) in _attached(sim)
    assert outs["zoneUuid"] == ZONE_1_UUID and outs["backupStorageUuid"] == IMAGESTORE_1_UUID
    assert outs["name"] == "imagestore-1" and outs["type"] == "ImageStoreBackupStorage"
    assert outs["totalCapacity"] == 1099511627776
    assert ZONE_1_UUID in outs["attachedZoneUuids"]
    assert outs["systemTags"] == ["k::v"]
    for key in ("url", "state", "status", "createDate", "lastOpDate", "availableCapacity", "__provider"):
        assert key in outs
    (attach,) = [r for r in sim.requests() if r["method"] == "POST"]
    assert attach["systemTags"] == ["k::v"]  # sent with the attach call, as given


WAYS = ("adopt=True", "BackupStorageZoneAttachment.get(", "leave it out of the program")


def _refused(err: pytest.ExceptionInfo[ProviderError]) -> str:
    last_line = str(err.value).strip().splitlines()[-1]
    assert "already attached, and not by this resource" in last_line
    assert all(way in last_line for way in WAYS), last_line
    return last_line


def test_create_refuses_a_pair_attached_by_someone_else_changing_nothing(
    host: ProviderHost, sim: SimulatorControl
) -> None:
    with pytest.raises(ProviderError) as err:
        host.create({"zoneUuid": ZONE_2_UUID, "backupStorageUuid": SFTP_1_UUID, "ownerKey": OWNER})
    assert SFTP_1_UUID in _refused(err) and ZONE_2_UUID in _refused(err)
    # Its one attach was refused by the node (SYS.1006): nothing changed.
    assert [method for method, _ in sim.writes()] == ["POST"] and sim.changes() == []
    assert _attached(sim) == {(ZONE_2_UUID, SFTP_1_UUID)}


def test_create_with_adopt_takes_over_an_existing_attachment_changing_nothing(
    host: ProviderHost, sim: SimulatorControl
) -> None:
    id_, outs = host.create({"zoneUuid": ZONE_2_UUID, "backupStorageUuid": SFTP_1_UUID, "adopt": True})
    assert id_ == f"{ZONE_2_UUID}:{SFTP_1_UUID}"
    assert outs["name"] == "sftp-1" and outs["adopt"] is True
    assert sim.changes() == [] and _attached(sim) == {(ZONE_2_UUID, SFTP_1_UUID)}
    assert host.printed("adopted the existing attachment") and host.printed("adopt=True")


def test_create_refuses_when_someone_attaches_meanwhile(host: ProviderHost, sim: SimulatorControl) -> None:
    # Our attach is slow to arrive; another actor attaches first, so ours is refused with SYS.1006
    # (worded in the node's locale) and the pair read back:
    # attached, but not by a job of this resource.
    sim.add_fault(method="POST", path="/backup-storage/", action="delay", seconds=1.0)
    with ThreadPoolExecutor(1) as pool:
        ours = pool.submit(host.create, {**PAIR, "ownerKey": OWNER})
        while not sim.writes():
            time.sleep(0.01)
        _attach_out_of_band(sim.url)
        with pytest.raises(ProviderError) as err:
            ours.result()
    _refused(err)
    jobs = [j for j in sim.jobs() if j["operation"] == "AttachBackupStorageToZone"]
    assert len(jobs) == 2 and {j["status"] for j in jobs} == {"succeeded", "failed"}


def test_an_own_attach_whose_outcome_was_lost_is_recognised_and_adopted(
    simulator: SimulatorProcess, sim: SimulatorControl
) -> None:
    sim.add_fault(method="POST", path="/backup-storage/", action="job_delay", seconds=1.5, count=1)
    with ProviderHost() as h:
        h.configure(_config(simulator, jobTimeout="0.5"))
        with pytest.raises(ProviderError, match="still running"):
            h.create({**PAIR, "ownerKey": OWNER})
        while any(j["status"] == "running" for j in sim.jobs()):
            time.sleep(0.02)
        # The next run: the pair is attached, by this resource's own (derived-uuid) job.
        id_, _ = h.create({**PAIR, "ownerKey": OWNER})
        assert id_ == PAIR_ID and h.printed("this resource's own attach job")
        # Another resource (another owner key) for the same pair is refused.
        with pytest.raises(ProviderError) as err:
            h.create({**PAIR, "ownerKey": "0" * 32})
        _refused(err)
    # One attach changed ZStack; the two creates after it were refused by the node.
    assert len(sim.changes()) == 1 and len(sim.jobs()) == 3


def test_after_its_own_detach_a_resource_does_not_claim_a_pair_someone_attached_again(
    host: ProviderHost, sim: SimulatorControl
) -> None:
    _, outs = host.create({**PAIR, "ownerKey": OWNER})
    host.delete(PAIR_ID, outs)
    _attach_out_of_band(sim.url)
    with pytest.raises(ProviderError) as err:
        host.create({**PAIR, "ownerKey": OWNER})
    _refused(err)


def test_create_refused_with_sys_1006_for_another_reason_fails(
    host: ProviderHost, sim: SimulatorControl
) -> None:
    # SYS.1006 covers many refusals: the pair read back is not attached, so the error stands.
    sim.add_fault(method="POST", path="/backup-storage/", action="job_error", code="SYS.1006", details="busy")
    with pytest.raises(ProviderError) as err:
        host.create(dict(PAIR))
    last_line = str(err.value).strip().splitlines()[-1]
    assert "cannot attach" in last_line and "SYS.1006" in last_line and "busy" in last_line
    assert (ZONE_1_UUID, IMAGESTORE_1_UUID) not in _attached(sim)


def test_create_of_unknown_backup_storage_names_the_field_changing_nothing(
    host: ProviderHost, sim: SimulatorControl
) -> None:
    with pytest.raises(ProviderError) as err:
        host.create({**PAIR, "backupStorageUuid": "0" * 32})
    last_line = str(err.value).strip().splitlines()[-1]
    assert f"backupStorageUuid {'0' * 32} names no backup storage" in last_line
    assert sim.changes() == []


def test_create_of_unknown_zone_names_the_zone(host: ProviderHost, sim: SimulatorControl) -> None:
    with pytest.raises(ProviderError) as err:
        host.create({**PAIR, "zoneUuid": "f" * 32})
    last_line = str(err.value).strip().splitlines()[-1]
    assert f"zoneUuid {'f' * 32} names no zone" in last_line and "SYS.1003" in last_line
    assert _attached(sim) == {(ZONE_2_UUID, SFTP_1_UUID)}


def test_create_job_failure_says_what_failed(host: ProviderHost, sim: SimulatorControl) -> None:
    sim.add_fault(
        method="POST", path="/backup-storage/", action="job_error", code="BS.1001", details="agent refused"
    )
    with pytest.raises(ProviderError) as err:
        host.create(dict(PAIR))
    last_line = str(err.value).strip().splitlines()[-1]
    assert "attach" in last_line and IMAGESTORE_1_UUID in last_line and ZONE_1_UUID in last_line
    assert "BS.1001" in last_line and "agent refused" in last_line


def test_four_concurrent_creates_share_one_login(simulator: SimulatorProcess, sim: SimulatorControl) -> None:
    zones = [sim_zone for sim_zone in _make_zones(simulator, 4)]
    with ProviderHost() as h:
        h.configure(_config(simulator))
        with ThreadPoolExecutor(4) as pool:
            results = list(
                pool.map(lambda z: h.create({"zoneUuid": z, "backupStorageUuid": IMAGESTORE_1_UUID}), zones)
            )
    assert [r[0] for r in results] == [f"{z}:{IMAGESTORE_1_UUID}" for z in zones]
    assert {(z, IMAGESTORE_1_UUID) for z in zones} <= _attached(sim)
    assert _logins(sim) == 2  # one by the helper that made the zones, one by the provider


def _admin_client(url: str) -> ZStackClient:
    """Another actor: the administrator working on the same simulator."""
    from pulumi_zstack.client import ZStackClient

    return ZStackClient(url, account_name="admin", account_password=ADMIN_PASSWORD)


def _make_zones(simulator: SimulatorProcess, n: int) -> list[str]:
    with _admin_client(simulator.url) as client:
        return [client.zones.create(f"extra-{i}").uuid for i in range(n)]


# -- read -----------------------------------------------------------------------------------


def test_read_returns_fresh_outputs_and_inputs(host: ProviderHost, sim: SimulatorControl) -> None:
    _, outs = host.create({**PAIR, "userTags": ["u"]})
    sim.patch_backup_storage(IMAGESTORE_1_UUID, availableCapacity=12345, status="Disconnected")
    id_, fresh, inputs = host.read(PAIR_ID, outs)
    assert id_ == PAIR_ID
    assert fresh["availableCapacity"] == 12345 and fresh["status"] == "Disconnected"
    assert inputs["zoneUuid"] == ZONE_1_UUID and inputs["userTags"] == ["u"]
    # The engine then diffs refreshed outputs against the old inputs: volatile values are no change.
    old_inputs = {**PAIR, "userTags": ["u"]}
    resp = host.diff(PAIR_ID, fresh, old_inputs)
    assert resp.changes == resp.DIFF_NONE


def test_reads_share_one_query_of_all_backup_storages(host: ProviderHost, sim: SimulatorControl) -> None:
    host.create(dict(PAIR))
    since = sim.requests()[-1]["timestamp"]
    sftp_id = f"{ZONE_2_UUID}:{SFTP_1_UUID}"
    with ThreadPoolExecutor(4) as pool:
        reads = list(pool.map(lambda id_: host.read(id_, {}), [PAIR_ID, sftp_id] * 4))
    assert {read[0] for read in reads} == {PAIR_ID, sftp_id}
    assert [(r["path"], r["query"]) for r in sim.requests() if r["timestamp"] > since] == [
        ("/zstack/v1/backup-storage", "limit=1000&start=0&sort=%2Buuid")
    ]


def test_a_failing_query_fails_each_read_alone(host: ProviderHost, sim: SimulatorControl) -> None:
    sim.add_fault(
        method="GET",
        path="/v1/backup-storage",
        action="status",
        status=503,
        body={"error": {"code": "ID.1002", "description": "The user doesn't have permission"}},
        count=-1,
    )
    sftp_id = f"{ZONE_2_UUID}:{SFTP_1_UUID}"
    for id_, pair in ((PAIR_ID, IMAGESTORE_1_UUID), (sftp_id, SFTP_1_UUID)):
        with pytest.raises(ProviderError) as err:
            host.read(id_, {})
        assert f"cannot read backup storage {pair}" in str(err.value)
        assert "ID.1002" in str(err.value)


def test_read_of_a_detached_pair_reports_it_gone(host: ProviderHost, sim: SimulatorControl) -> None:
    _, outs = host.create(dict(PAIR))
    _detach_out_of_band(simulator_url=sim.url)
    id_, props, _ = host.read(PAIR_ID, outs)
    assert id_ == ""
    assert set(props) <= {"__provider"}


def test_read_of_a_deleted_backup_storage_or_zone_reports_it_gone(
    host: ProviderHost, sim: SimulatorControl
) -> None:
    _, outs = host.create(dict(PAIR))
    with _admin_client(sim.url) as client:
        client.zones.delete(ZONE_1_UUID)
    assert host.read(PAIR_ID, outs)[0] == ""
    gone = {"zoneUuid": ZONE_2_UUID, "backupStorageUuid": "e" * 32}
    assert host.read(f"{ZONE_2_UUID}:{'e' * 32}", gone)[0] == ""


def test_get_reads_an_existing_attachment_by_id(host: ProviderHost) -> None:
    id_, props, inputs = host.read(f"{ZONE_2_UUID}:{SFTP_1_UUID}", None)
    assert id_ == f"{ZONE_2_UUID}:{SFTP_1_UUID}"
    assert props["name"] == "sftp-1" and inputs["backupStorageUuid"] == SFTP_1_UUID


def test_get_of_a_pair_that_is_not_attached_fails_naming_the_id(host: ProviderHost) -> None:
    # A ``.get()`` sends no recorded outputs, only its (empty) inputs.
    with pytest.raises(ProviderError) as err:
        host.read(PAIR_ID, None)
    assert f"get({PAIR_ID!r})" in str(err.value) and "are not attached" in str(err.value)
    missing = f"{ZONE_2_UUID}:{'e' * 32}"
    with pytest.raises(ProviderError, match="names no backup storage"):
        host.read(missing, None)


def test_read_of_a_malformed_id_explains_the_format(host: ProviderHost) -> None:
    with pytest.raises(ProviderError, match="expected '<zoneUuid>:<backupStorageUuid>'"):
        host.read("not-an-id", {})


def _attach_out_of_band(simulator_url: str) -> None:
    with _admin_client(simulator_url) as client:
        client.backup_storage.attach_to_zone(ZONE_1_UUID, IMAGESTORE_1_UUID)


def _detach_out_of_band(simulator_url: str) -> None:
    with _admin_client(simulator_url) as client:
        client.backup_storage.detach_from_zone(ZONE_1_UUID, IMAGESTORE_1_UUID)


# -- update / delete ------------------------------------------------------------------------


def test_tag_update_records_the_tags_and_touches_nothing_in_zstack(
    host: ProviderHost, sim: SimulatorControl
) -> None:
    _, outs = host.create({**PAIR, "systemTags": ["old::1"]})
    since = sim.requests()[-1]["timestamp"]
    olds = {k: v for k, v in outs.items() if k != "__provider"}
    new = host.update(PAIR_ID, olds, {**PAIR, "userTags": ["u::2"]})
    assert new["userTags"] == ["u::2"] and "systemTags" not in new
    assert {k: v for k, v in new.items() if k not in ("__provider", "systemTags", "userTags")} == {
        k: v for k, v in olds.items() if k != "systemTags"
    }
    assert sim.requests(since=since) == []


def test_attached_zone_order_is_not_an_output_change(host: ProviderHost, sim: SimulatorControl) -> None:
    # ZStack lists attachedZoneUuids from a hash set, in no particular order: outputs are sorted.
    zones = [ZONE_1_UUID, *_make_zones_with_uuids(sim.url, "a" * 32, "b" * 32, "c" * 32)]  # sorted
    for zone in zones:
        host.create({"zoneUuid": zone, "backupStorageUuid": IMAGESTORE_1_UUID})
    with _admin_client(sim.url) as client:
        wire_order = client.backup_storage.get(IMAGESTORE_1_UUID).attached_zone_uuids
    assert sorted(wire_order or []) == zones and wire_order != zones  # neither sorted nor as attached
    _, outs, _ = host.read(PAIR_ID, dict(PAIR))
    assert outs["attachedZoneUuids"] == zones
    resp = host.diff(PAIR_ID, {**outs, "attachedZoneUuids": list(reversed(zones))}, dict(PAIR))
    assert resp.changes == resp.DIFF_NONE


def _make_zones_with_uuids(url: str, *uuids: str) -> list[str]:
    http = ZStackHttp(url)
    for uuid in uuids:
        params = {"name": f"zone-{uuid[0]}", "resourceUuid": uuid}
        created = http.call("POST", "/zones", json={"params": params})
        assert created.status_code == 200, created.text
    return list(uuids)


def test_update_keeps_every_output(host: ProviderHost) -> None:
    _, outs = host.create(dict(PAIR))
    olds = {k: v for k, v in outs.items() if k != "__provider"}
    new = host.update(PAIR_ID, olds, dict(PAIR))
    assert {k: v for k, v in new.items() if k != "__provider"} == olds
    assert new["__provider"] == PROVIDER


def test_delete_detaches_and_is_idempotent(host: ProviderHost, sim: SimulatorControl) -> None:
    _, outs = host.create(dict(PAIR))
    host.delete(PAIR_ID, outs)
    assert (ZONE_1_UUID, IMAGESTORE_1_UUID) not in _attached(sim)
    host.delete(PAIR_ID, outs)  # already detached: success
    assert host.printed("already detached")


def test_delete_after_the_backup_storage_was_deleted_succeeds(
    host: ProviderHost, sim: SimulatorControl
) -> None:
    _, outs = host.create(dict(PAIR))
    with _admin_client(sim.url) as client:
        client.backup_storage.delete(IMAGESTORE_1_UUID)
    host.delete(PAIR_ID, outs)


def test_delete_refused_with_sys_1006_while_attached_fails(host: ProviderHost, sim: SimulatorControl) -> None:
    _, outs = host.create(dict(PAIR))
    sim.add_fault(method="DELETE", path="/backup-storage/", action="job_error", code="SYS.1006")
    with pytest.raises(ProviderError) as err:
        host.delete(PAIR_ID, outs)
    assert "cannot detach" in str(err.value).splitlines()[-1] and "SYS.1006" in str(err.value)
    assert (ZONE_1_UUID, IMAGESTORE_1_UUID) in _attached(sim)


def test_delete_failure_is_reported(host: ProviderHost, sim: SimulatorControl) -> None:
    _, outs = host.create(dict(PAIR))
    sim.add_fault(
        method="DELETE", path="/backup-storage/", action="job_error", code="BS.1002", details="storage busy"
    )
    with pytest.raises(ProviderError) as err:
        host.delete(PAIR_ID, outs)
    assert "detach" in str(err.value).splitlines()[-1] and "BS.1002" in str(err.value)
    assert (ZONE_1_UUID, IMAGESTORE_1_UUID) in _attached(sim)


# -- settings -------------------------------------------------------------------------------


def test_stack_config_wins_over_environment(simulator: SimulatorProcess, sim: SimulatorControl) -> None:
    env = {
        "ZSTACK_ENDPOINT": "http://127.0.0.1:9",
        "ZSTACK_ACCOUNT_NAME": "admin",
        "ZSTACK_ACCOUNT_PASSWORD": "wrong-password",
    }
    with ProviderHost(env=env) as h:
        h.configure(_config(simulator))
        assert h.create(dict(PAIR))[0] == PAIR_ID


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, "no ZStack endpoint configured: set 'zstack:endpoint' (env ZSTACK_ENDPOINT)"),
        ({"zstack:endpoint": "http://x:1"}, "no ZStack credentials configured"),
        (
            {"zstack:endpoint": "http://x:1", "zstack:accountName": "admin"},
            "set 'zstack:accountPassword' (env ZSTACK_ACCOUNT_PASSWORD)",
        ),
        ({"zstack:endpoint": "http://x:1", "zstack:accessKeySecret": "s"}, "set 'zstack:accessKeyId'"),
        (
            {"zstack:endpoint": "ftp://zstack.example"},
            "'zstack:endpoint' (env ZSTACK_ENDPOINT) must be http(s)://host[:port][/context-path]",
        ),
        (
            {
                "zstack:host": "h",
                "zstack:port": "8080.5",
                "zstack:accessKeyId": "i",
                "zstack:accessKeySecret": "s",
            },
            "'zstack:port' (env ZSTACK_PORT) must be a port number from 1 to 65535, got '8080.5'",
        ),
        (
            {
                "zstack:endpoint": "http://x:1",
                "zstack:accessKeyId": "i",
                "zstack:accessKeySecret": "s",
                "zstack:jobTimeout": "soon",
            },
            "'zstack:jobTimeout' (env ZSTACK_JOB_TIMEOUT) must be a number",
        ),
        (
            {
                "zstack:endpoint": "http://x:1",
                "zstack:accessKeyId": "i",
                "zstack:accessKeySecret": "s",
                "zstack:timeZone": "Beijing",
            },
            "'zstack:timeZone' (env ZSTACK_TIME_ZONE) must be an IANA time zone name such as Asia/Shanghai, "
            "got 'Beijing'",
        ),
    ],
)
def test_missing_or_bad_settings_are_one_clear_line(config: dict[str, str], expected: str) -> None:
    with ProviderHost() as h:
        h.configure(config)
        with pytest.raises(ProviderError) as err:
            h.check(dict(PAIR))
    assert expected in str(err.value).strip().splitlines()[-1]


def test_wrong_password_fails_create_with_a_clear_error(
    simulator: SimulatorProcess, sim: SimulatorControl
) -> None:
    with ProviderHost() as h:
        h.configure({**_config(simulator), "zstack:accountPassword": "not-the-password"})
        with pytest.raises(ProviderError) as err:
            h.create(dict(PAIR))
    last_line = str(err.value).strip().splitlines()[-1]
    assert "ID.1000" in last_line
    assert "not-the-password" not in str(err.value)
    assert sim.writes() == []


@pytest.fixture(scope="module")
def shanghai_node() -> Iterator[SimulatorProcess]:
    """A management node whose local zone is Asia/Shanghai (``rest.checkTimeZone = false``)."""
    with SimulatorProcess(job_delay=0.05, time_zone="Asia/Shanghai") as process:
        yield process


def _access_key_config(node: SimulatorProcess, **extra: str) -> dict[str, str]:
    return {
        "zstack:endpoint": node.url,
        "zstack:accessKeyId": ACCESS_KEY_ID,
        "zstack:accessKeySecret": ACCESS_KEY_SECRET,
        **{f"zstack:{k}": v for k, v in extra.items()},
    }


def test_access_key_with_the_nodes_time_zone_works(shanghai_node: SimulatorProcess) -> None:
    SimulatorControl(shanghai_node.url).reset()
    with ProviderHost(env={"TZ": "UTC"}) as h:
        h.configure(_access_key_config(shanghai_node, timeZone="Asia/Shanghai"))
        assert h.create(dict(PAIR))[0] == PAIR_ID


def test_access_key_on_another_time_zone_names_the_setting_and_the_clock(
    shanghai_node: SimulatorProcess,
) -> None:
    control = SimulatorControl(shanghai_node.url)
    control.reset()
    for env, config in (
        ({"TZ": "UTC"}, _access_key_config(shanghai_node)),  # the default: this machine's zone
        ({"ZSTACK_TIME_ZONE": "Europe/Berlin"}, _access_key_config(shanghai_node)),
    ):
        with ProviderHost(env=env) as h:
            h.configure(config)
            with pytest.raises(ProviderError) as err:
                h.create(dict(PAIR))
        last_line = str(err.value).strip().splitlines()[-1]
        assert "requestTimeTooSkewed" in last_line
        assert "check 'zstack:timeZone' (env ZSTACK_TIME_ZONE)" in last_line
        assert "this machine's clock" in last_line
        assert ACCESS_KEY_SECRET not in str(err.value)
    assert control.changes() == []  # every call was refused (403)


def test_a_wrong_access_key_secret_names_the_access_key_settings(shanghai_node: SimulatorProcess) -> None:
    SimulatorControl(shanghai_node.url).reset()
    with ProviderHost() as h:
        h.configure(
            {**_access_key_config(shanghai_node, timeZone="Asia/Shanghai"), "zstack:accessKeySecret": "x"}
        )
        with pytest.raises(ProviderError) as err:
            h.create(dict(PAIR))
    last_line = str(err.value).strip().splitlines()[-1]
    assert "wrong accessKey signature" in last_line
    assert "check 'zstack:accessKeyId' (env ZSTACK_ACCESS_KEY_ID) and 'zstack:accessKeySecret'" in last_line


# -- secrets and the pickled provider -------------------------------------------------------


def test_no_credential_reaches_provider_outputs_or_logs(secret_simulator: SimulatorProcess) -> None:
    sim = SimulatorControl(secret_simulator.url)
    sim.reset()
    config = {
        **_config(secret_simulator),
        "zstack:accountPassword": DISTINCT_PASSWORD,
        "zstack:accessKeyId": ACCESS_KEY_ID,
        "zstack:accessKeySecret": ACCESS_KEY_SECRET,
    }
    with ProviderHost(env={"PULUMI_ZSTACK_LOG": "debug"}) as h:
        h.configure(config)
        _, outs = h.create(dict(PAIR))
        h.read(PAIR_ID, outs)
        h.delete(PAIR_ID, outs)
        with pytest.raises(ProviderError) as err:
            h.create({**PAIR, "zoneUuid": "f" * 32})
        seen = "\n".join([str(outs), h.output(), str(err.value), str(sim.requests())])
    assert "LogInByAccount" in h.output() or "login" in h.output()  # debug logging was on
    for secret in (DISTINCT_PASSWORD, ACCESS_KEY_SECRET):
        assert secret not in seen
    assert DISTINCT_PASSWORD.encode() not in base64.b64decode(outs["__provider"])


def test_pickled_provider_is_small_stable_and_by_reference() -> None:
    code = (
        "from pulumi.dynamic.dynamic import serialize_provider;"
        "from pulumi_zstack import BackupStorageZoneAttachmentProvider as P;"
        "print(serialize_provider(P()))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    }
    assert runs == {PROVIDER}
    raw = base64.b64decode(PROVIDER)
    assert b"pulumi_zstack.backup_storage_zone_attachment" in raw
    assert len(raw) < 300


# -- sessions ---------------------------------------------------------------------------------


def test_the_session_ends_when_the_engine_stops_the_provider(
    simulator: SimulatorProcess, sim: SimulatorControl
) -> None:
    # plugin.go (kill): SIGINT to the plugin, then 5 s before SIGKILL.
    with ProviderHost() as h:
        h.configure(_config(simulator))
        h.create(PAIR)
        h.read(PAIR_ID, PAIR)
        assert sim.stats()["activeSessions"] == 1
        assert h.stop_like_the_engine() == 0
    stats = sim.stats()
    assert (stats["logins"], stats["logouts"], stats["activeSessions"]) == (1, 1, 0)


def test_the_provider_ends_right_after_its_logout_losing_none_of_its_output(
    simulator: SimulatorProcess, sim: SimulatorControl
) -> None:
    # The host ends its process with os._exit once the logout is done (the engine waits for the
    # process to end): the logout's log line must still reach the engine, the status stay 0.
    with ProviderHost(env={"PULUMI_ZSTACK_LOG": "debug"}) as h:
        h.configure(_config(simulator))
        h.create(PAIR)
        assert h.stop_like_the_engine() == 0
        assert h.printed("DELETE /v1/accounts/sessions/*** -> 200")
    assert sim.stats()["activeSessions"] == 0


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.machine() != "x86_64", reason="tgkill on x86-64 Linux"
)
@pytest.mark.parametrize("thread", ["grpc_global_tim", "event_engine", "python"])
def test_the_provider_stops_when_the_interrupt_lands_on_another_thread(
    simulator: SimulatorProcess, sim: SimulatorControl, thread: str
) -> None:
    # The engine signals the process; the kernel gives the signal to another thread when the main
    # thread does not take it. The host's main thread, waiting in Event().wait(), must still stop
    # within the engine's 5 s (else it is killed, its session left open).
    with ProviderHost() as h:
        h.configure(_config(simulator))
        h.create(PAIR)
        assert h.stop_through_another_thread(thread) == 0
    stats = sim.stats()
    assert (stats["logins"], stats["logouts"], stats["activeSessions"]) == (1, 1, 0)
