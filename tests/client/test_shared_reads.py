"""``get_shared``: many reads served by one scan of the collection, never stale after a write."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pulumi_zstack.client import NotFoundError, TransportError, ZStackAPIError, ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from tests.client.client_support import FAST_RETRIES, IMAGESTORE_1, SFTP_1, ZONE_1, ZONE_2, api_requests

UNKNOWN = "0123456789abcdef0123456789abcdef"


def _queries(control: SimulatorControl) -> list[dict[str, object]]:
    return [e for e in api_requests(control, "GET") if e["path"].endswith("/v1/backup-storage")]


def _in_threads(count: int, work: Callable[[int], object]) -> list[object]:
    """Run ``work(i)`` in ``count`` threads released together; results (or exceptions) in order."""
    results: list[object] = [None] * count
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_reads_share_one_query(client: ZStackClient, control: SimulatorControl) -> None:
    wanted = [SFTP_1, IMAGESTORE_1, UNKNOWN] * 6
    results = _in_threads(len(wanted), lambda i: client.backup_storage.get_shared(wanted[i]))
    for uuid, result in zip(wanted, results, strict=True):
        if uuid == UNKNOWN:
            assert isinstance(result, NotFoundError)
        else:
            assert not isinstance(result, Exception), result
            assert result.uuid == uuid  # type: ignore[attr-defined]
    sftp = next(r for u, r in zip(wanted, results, strict=True) if u == SFTP_1)
    assert sftp.attached_zone_uuids == [ZONE_2]  # type: ignore[attr-defined]
    # One query for 18 reads; more reads later reuse it.
    client.backup_storage.get_shared(IMAGESTORE_1)
    assert len(_queries(control)) == 1


def test_a_write_of_the_client_makes_the_next_read_fresh(
    client: ZStackClient, control: SimulatorControl
) -> None:
    assert client.backup_storage.get_shared(IMAGESTORE_1).attached_zone_uuids in (None, [])
    client.backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)
    assert client.backup_storage.get_shared(IMAGESTORE_1).attached_zone_uuids == [ZONE_1]
    client.zones.delete(ZONE_1)  # a write of another area changes backup storages too
    assert client.backup_storage.get_shared(IMAGESTORE_1).attached_zone_uuids in (None, [])
    assert len(_queries(control)) == 3


def test_a_failed_scan_fails_each_reader_and_is_not_kept(
    client: ZStackClient, control: SimulatorControl
) -> None:
    control.add_fault(
        method="GET",
        path="/v1/backup-storage$",
        action="status",
        status=503,
        body={"error": {"code": "SYS.1000", "description": "An internal error happened in system"}},
        count=-1,
    )
    results = _in_threads(4, lambda _i: client.backup_storage.get_shared(SFTP_1))
    assert all(isinstance(r, ZStackAPIError) and r.code == "SYS.1000" for r in results), results
    control.clear_faults()
    assert client.backup_storage.get_shared(SFTP_1).uuid == SFTP_1


def test_a_transient_failure_of_the_scan_is_retried(client: ZStackClient, control: SimulatorControl) -> None:
    control.add_fault(method="GET", path="/v1/backup-storage$", action="status", status=502, count=2)
    assert client.backup_storage.get_shared(SFTP_1).uuid == SFTP_1
    assert [e["status"] for e in _queries(control)] == [502, 502, 200]


def test_an_unreachable_server_fails_the_read(make_client: Callable[..., ZStackClient]) -> None:
    client = make_client(endpoint="http://127.0.0.1:9", retry_policy=FAST_RETRIES)
    with pytest.raises(TransportError):
        client.backup_storage.get_shared(SFTP_1)


@pytest.fixture(scope="module")
def large_simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorProcess]:
    """2500 backup storages: more than two pages of the server's default limit (1000)."""
    uuids = [f"{i:032x}" for i in range(1, 2501)]
    seed = {
        "accounts": [{"name": "admin", "password": "password"}],
        "zones": [{"uuid": ZONE_1, "name": "zone-1"}],
        "backupStorages": [
            {"uuid": u, "name": f"bs-{i}", "type": "ImageStoreBackupStorage", "url": "/bs"}
            for i, u in enumerate(uuids)
        ],
    }
    path: Path = tmp_path_factory.mktemp("large") / "seed.json"
    path.write_text(json.dumps(seed))
    with SimulatorProcess(seed=path) as process:
        yield process


def test_the_scan_pages_through_a_large_collection(large_simulator: SimulatorProcess) -> None:
    control = SimulatorControl(large_simulator.url)
    control.reset()
    try:
        with ZStackClient(large_simulator.url, account_name="admin", account_password="password") as client:
            for wanted in (f"{1:032x}", f"{1000:032x}", f"{1001:032x}", f"{2500:032x}"):
                assert client.backup_storage.get_shared(wanted).uuid == wanted
            with pytest.raises(NotFoundError):
                client.backup_storage.get_shared(f"{2501:032x}")
        queries = _queries(control)
        assert [q["query"] for q in queries] == [
            f"limit=1000&start={start}&sort=%2Buuid" for start in (0, 1000, 2000)
        ]
    finally:
        control.close()
