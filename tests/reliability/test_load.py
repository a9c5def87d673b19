"""Load: 200 attachments in one stack, up / refresh / destroy, with ~5% transient failures."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pulumi_zstack.client import ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import ADMIN_PASSWORD
from tests.reliability.conftest import Matrix, reliability_seed, write_seed
from tests.reliability.harness import Stack, assert_consistent, logins, now_of, sim_pairs, wants

pytestmark = pytest.mark.e2e

ZONES, STORAGES = 20, 10  # 200 pairs
NOT_LOGIN = r"^/zstack/v1/(?!accounts/)"
# Four kinds of transient failure, each on ~1.27% of the API calls (login aside): ~5% in all.
TRANSIENT = [
    {"action": "status", "status": 502},
    {"action": "status", "status": 503},
    {"action": "drop"},
    {"action": "drop_before"},
]
PROBABILITY = 1 - (1 - 0.05) ** (1 / len(TRANSIENT))
THREAD_TROUBLE = re.compile(
    r"Traceback|RuntimeError|dictionary changed size|thread|deadlock|Connection pool is full"
)


@pytest.fixture(scope="module")
def load_simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorProcess]:
    seed = write_seed(tmp_path_factory.mktemp("load-seed"), reliability_seed())
    with SimulatorProcess(job_delay=0.02, seed=seed) as process:
        yield process


def _universe(simulator: SimulatorProcess) -> tuple[list[str], list[str]]:
    """Create zones and backup storages through the client until there are 20 x 10."""
    with ZStackClient(simulator.url, account_name="admin", account_password=ADMIN_PASSWORD) as client:
        zones = [z.uuid for z in client.zones.query()]
        storages = [bs.uuid for bs in client.backup_storage.query()]
        with ThreadPoolExecutor(8) as pool:
            new_zones = pool.map(
                lambda i: client.zones.create(f"load-zone-{i}").uuid, range(ZONES - len(zones))
            )
            new_storages = pool.map(
                lambda i: (
                    client.backup_storage.add_image_store(
                        name=f"load-bs-{i}",
                        url=f"/bs{i}",
                        hostname=f"10.0.0.{i + 1}",
                        username="root",
                        password="x",
                    ).uuid
                ),
                range(STORAGES - len(storages)),
            )
            zones += list(new_zones)
            storages += list(new_storages)
    return zones, storages


def test_200_attachments_with_5_percent_transient_failures(
    tmp_path: Path, load_simulator: SimulatorProcess, matrix: Matrix
) -> None:
    observe = matrix(
        "load",
        f"200 attachments; up, refresh, destroy; each API call (login aside) fails transiently with ~5% "
        f"probability (502, 503 without body, dropped after / before processing, {PROBABILITY:.2%} each)",
        "every operation completes; one login per provider process; one job per pair; refresh reads "
        "through a few shared queries; no thread-safety error",
    )
    control = SimulatorControl(load_simulator.url)
    control.reset()
    zones, storages = _universe(load_simulator)
    pairs = [(z, bs) for z in zones for bs in storages]
    assert len(pairs) == 200
    stack = Stack(tmp_path, load_simulator.url, wants(*pairs))
    for fault in TRANSIENT:
        control.add_fault(method="*", path=NOT_LOGIN, count=-1, probability=PROBABILITY, **fault)

    results = {}
    for operation in ("up", "refresh", "destroy"):
        if operation == "refresh":
            # The refresh makes a handful of calls (batched reads): make sure its query meets faults.
            control.add_fault(method="GET", path=r"/v1/backup-storage$", action="drop", count=1)
        since = now_of(control)
        result = getattr(stack, operation)()
        entries = control.requests(since)
        faulted = Counter(e["fault"] for e in entries if e.get("fault"))
        assert result.summary.result == "succeeded"
        assert logins(control, since) == 1, f"{operation}: {logins(control, since)} logins"
        results[operation] = (dict(result.summary.resource_changes or {}), len(entries), dict(faulted))
        if operation == "refresh":
            # Batched reads: the 200 reads share queries of all backup storages, never one each.
            one_by_one = [e for e in entries if e["method"] == "GET" and "/v1/backup-storage/" in e["path"]]
            scans = [e for e in entries if e["method"] == "GET" and e["path"].endswith("/v1/backup-storage")]
            assert not one_by_one and 1 <= len(scans) <= 5, (len(one_by_one), len(scans))
            batched = f"refresh read 200 attachments with {len(scans)} queries of all backup storages"
        assert sum(faulted.values()) > 0.02 * len(entries), faulted  # the failures really were injected
    assert results["up"][0].get("create") == 201  # and the stack itself
    assert results["refresh"][0].get("same") == 201
    assert results["destroy"][0].get("delete") == 201
    assert sim_pairs(control) == set() and stack.pairs() == set()
    pair_path = re.compile(r"/zstack/v1/zones/[0-9a-f]{32}/backup-storage/[0-9a-f]{32}")
    jobs = [j for j in control.jobs() if pair_path.fullmatch(j["path"])]
    for method in ("POST", "DELETE"):
        per_pair = Counter(j["path"] for j in jobs if j["method"] == method)
        assert len(per_pair) == 200 and set(per_pair.values()) == {1}, f"{method}: {per_pair.most_common(3)}"
    assert {j["status"] for j in jobs} == {"succeeded"}
    assert not THREAD_TROUBLE.search(stack.text())
    for operation, (changes, calls, faulted) in results.items():
        observe(f"{operation}: {changes}, {calls} API calls, injected {faulted}, 1 login")
    observe(batched)
    observe("one attach and one detach job per pair, all succeeded; no traceback in the output")
    control.clear_faults()
    stack.wanted = []
    observe(assert_consistent(stack, control, destroyed=True))
