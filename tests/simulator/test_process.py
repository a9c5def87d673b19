"""The command line and process lifecycle: first line, warnings, signals, seeds, restarts with --db."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess, SimulatorStartError
from pulumi_zstack.simulator.seed import IMAGESTORE_1_UUID, ZONE_1_UUID
from tests.simulator.zstack import ZStackHttp

EXAMPLE_SEED = Path(__file__).parents[2] / "examples" / "seed.json"
COMMAND = [sys.executable, "-m", "pulumi_zstack.simulator"]


def test_first_stdout_line_announces_the_address_and_sigterm_stops_cleanly() -> None:
    started = time.monotonic()
    proc = subprocess.Popen(
        [*COMMAND, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert time.monotonic() - started < 5
        assert re.fullmatch(r"listening on http://127\.0\.0\.1:\d+\n", line)
        url = line.removeprefix("listening on ").strip()
        assert requests.get(f"{url}/_sim/stats", timeout=5).status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert proc.stderr is not None
        assert proc.stderr.read() == ""
    finally:
        proc.kill()
        proc.wait()


def test_sigint_stops_cleanly() -> None:
    sim = SimulatorProcess().start()
    assert sim.pid is not None
    os.kill(sim.pid, signal.SIGINT)  # at once: the handler is installed before the address is announced
    time.sleep(0.5)
    assert sim.stop() == 0


def test_non_loopback_host_warns_on_stderr() -> None:
    # 192.0.2.1 (TEST-NET-1) is not on this machine: binding fails after the warning, nothing is sent.
    result = subprocess.run(
        [*COMMAND, "--host", "192.0.2.1", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert "exposed beyond loopback" in result.stderr
    assert result.returncode == 1


def test_invalid_seed_is_reported(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps(
            {
                "zones": [{"name": "z"}],
                "backupStorages": [
                    {"name": "b", "url": "/b", "type": "SftpBackupStorage", "attachedZoneUuids": ["0" * 32]}
                ],
            }
        )
    )
    result = subprocess.run(
        [*COMMAND, "--port", "0", "--seed", str(seed)],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert result.returncode == 2
    assert "unknown zone" in result.stderr
    with pytest.raises(SimulatorStartError):
        SimulatorProcess(seed=seed).start()


def test_example_seed_file() -> None:
    with SimulatorProcess(seed=EXAMPLE_SEED) as sim:
        zs = ZStackHttp(sim.url)
        names = {z["name"] for z in zs.inventories("/zones")}
        assert names == {"zone-east", "zone-west", "zone-lab"}
        (east,) = zs.inventories("/backup-storage", q="name=imagestore-east")
        assert len(east["attachedZoneUuids"]) == 2
        (ceph,) = zs.inventories("/backup-storage", q="type=Ceph")
        assert "hostname" not in ceph
        ok = zs.login_response("ops", "ops-password")
        assert ok.status_code == 200


def test_restart_with_db_keeps_state_and_finishes_running_jobs(tmp_path: Path) -> None:
    with SimulatorProcess(db=tmp_path / "sim.db", job_delay=0.5) as sim:
        zs = ZStackHttp(sim.url)
        session = zs.login()
        created = zs.call("POST", "/zones", json={"params": {"name": "persistent"}})
        zone_uuid = created.json()["inventory"]["uuid"]
        location = zs.submit("POST", f"/zones/{ZONE_1_UUID}/backup-storage/{IMAGESTORE_1_UUID}").json()[
            "location"
        ]
        port = sim.port

        sim.restart()  # the attach job was still running
        assert sim.port == port
        assert zs.wait(location).status_code == 200
        assert zs.inventories(f"/zones/{zone_uuid}")[0]["name"] == "persistent"
        assert zs.get("/zones", headers=zs.auth(session)).status_code == 200  # sessions persist too
        attached = {(a["zoneUuid"], a["backupStorageUuid"]) for a in SimulatorControl(sim.url).attachments()}
        assert (ZONE_1_UUID, IMAGESTORE_1_UUID) in attached


def test_in_memory_state_does_not_survive_a_restart() -> None:
    with SimulatorProcess(job_delay=0.01) as sim:
        zs = ZStackHttp(sim.url)
        zs.call("DELETE", f"/zones/{ZONE_1_UUID}")
        sim.restart()
        assert len(ZStackHttp(sim.url).inventories("/zones")) == 2


def test_query_latency_delays_every_query() -> None:
    with SimulatorProcess(query_latency=0.3) as process:
        session = requests.put(
            f"{process.url}/zstack/v1/accounts/login",
            json={
                "logInByAccount": {
                    "accountName": "admin",
                    "password": hashlib.sha512(b"password").hexdigest(),
                }
            },
            timeout=10,
        ).json()["inventory"]["uuid"]
        for path in ("/zstack/v1/zones", "/zstack/v1/backup-storage/c4d5e6f708194a2b8c3d4e5f60718293"):
            started = time.monotonic()
            answer = requests.get(
                f"{process.url}{path}", headers={"Authorization": f"OAuth {session}"}, timeout=10
            )
            assert answer.status_code == 200
            assert time.monotonic() - started >= 0.3
