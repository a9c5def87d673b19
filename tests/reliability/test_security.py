"""Security: no credential anywhere a person or a machine can read it afterwards; access-key
requests really verified; the simulator bound to loopback unless asked otherwise."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
import requests

from pulumi_zstack.client import AuthenticationError, ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import (
    ACCESS_KEY_ID,
    ACCESS_KEY_SECRET,
    IMAGESTORE_1_UUID,
    SFTP_1_UUID,
    ZONE_1_UUID,
)
from tests.conftest import DISTINCT_PASSWORD, reset_control
from tests.provider.host import ProviderError, ProviderHost
from tests.reliability.conftest import Matrix
from tests.reliability.harness import Stack, wants
from tests.tls import Proxy

A, B = (ZONE_1_UUID, IMAGESTORE_1_UUID), (ZONE_1_UUID, SFTP_1_UUID)
PASSWORD_HASH = hashlib.sha512(DISTINCT_PASSWORD.encode()).hexdigest()
SESSION_IN_LOGIN = re.compile(rb'"inventory": ?\{"uuid": ?"([0-9a-f]{32})", ?"accountUuid"')


@pytest.fixture
def secret_control(secret_simulator: SimulatorProcess) -> Iterator[SimulatorControl]:
    yield from reset_control(secret_simulator.url)


@pytest.fixture
def proxy(secret_simulator: SimulatorProcess) -> Iterator[Proxy]:
    """Between the provider and ZStack: records every byte both ways (to learn the session ids)."""
    recording = Proxy((secret_simulator.host, secret_simulator.port))
    yield recording
    recording.close()


def sessions_seen(proxy: Proxy) -> set[str]:
    sessions = {m.decode() for m in SESSION_IN_LOGIN.findall(bytes(proxy.received))}
    for session in sessions:  # they really were used, so finding none of them below means something
        assert f"OAuth {session}".encode() in proxy.sent
    return sessions


def assert_absent(needles: dict[str, str], places: dict[str, bytes | str]) -> None:
    for place, content in places.items():
        data = content.encode() if isinstance(content, str) else content
        for name, needle in needles.items():
            assert needle.encode() not in data, f"{name} found in {place}"


@pytest.mark.e2e
def test_no_credential_in_state_files_output_logs_or_request_log(
    tmp_path: Path, proxy: Proxy, secret_control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "security",
        "password, its SHA-512, access-key secret and session ids vs. everything a run leaves behind",
        "none of them in stack export (no --show-secrets, __provider included), any file the engine "
        "wrote, engine output with PULUMI_ZSTACK_LOG=debug, or the simulator's request log",
    )
    debug = {"PULUMI_ZSTACK_LOG": "debug"}
    by_password = Stack(tmp_path / "password", proxy.url, wants(A, B), password=DISTINCT_PASSWORD, env=debug)
    secret_control.add_fault(method="POST", path=f"/backup-storage/{SFTP_1_UUID}$", action="expire_session")
    by_password.up()
    secret_control.add_fault(
        method="GET",
        path="/backup-storage$",  # the refresh's shared query of all backup storages
        action="status",
        status=503,
        body={"error": {"code": "SYS.1006", "description": "echo", "details": f"bad {DISTINCT_PASSWORD}"}},
    )
    by_password.fails("refresh")
    by_password.refresh()
    exported = by_password.exported_state()
    by_password.destroy()

    by_key = Stack(
        tmp_path / "key",
        proxy.url,
        wants(A),
        password=None,
        access_key=(ACCESS_KEY_ID, ACCESS_KEY_SECRET),
        env=debug,
    )
    by_key.up()
    exported_key = by_key.exported_state()
    by_key.destroy()

    sessions = sessions_seen(proxy)
    assert len(sessions) >= 2  # the login and the re-login after the session expired
    assert '"__provider"' in exported and "pulumi:providers:pulumi-python" in exported
    assert "zstack:accountPassword" in exported  # the provider's recorded config, as ciphertext
    output = by_password.text() + by_key.text()
    assert "pulumi-zstack DEBUG" in output and "GET /v1/backup-storage" in output  # debug logs were on
    files = {**by_password.files_written(), **by_key.files_written()}
    needles = {
        "password": DISTINCT_PASSWORD,
        "password hash": PASSWORD_HASH,
        "access-key secret": ACCESS_KEY_SECRET,
        **{f"session {s[:6]}": s for s in sessions},
    }
    places: dict[str, bytes | str] = {
        "stack export (password)": exported,
        "stack export (access key)": exported_key,
        "engine output and provider logs": output,
        "simulator request log": json.dumps(secret_control.requests()),
        **{f"file {p.relative_to(tmp_path)}": data for p, data in files.items()},
    }
    assert_absent(needles, places)
    # On the wire, only the hash and the signatures: never the password or the secret themselves.
    assert PASSWORD_HASH.encode() in proxy.sent
    assert_absent(
        {"password": DISTINCT_PASSWORD, "access-key secret": ACCESS_KEY_SECRET}, {"wire": proxy.sent}
    )
    observe(
        f"absent from 2 stack exports, {len(files)} engine files, {len(output.splitlines())} output lines "
        f"(debug on), {len(secret_control.requests())} request-log entries; {len(sessions)} session ids "
        "checked; on the wire only the SHA-512 and signatures"
    )


def test_no_credential_in_provider_exceptions_or_raw_logs(
    proxy: Proxy, secret_control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "security",
        "a server error echoing the password, its hash and the live session id (raw provider process)",
        "the exception text and the provider's debug log show none of them",
    )
    config = {
        "zstack:endpoint": proxy.url,
        "zstack:accountName": "admin",
        "zstack:accountPassword": DISTINCT_PASSWORD,
    }
    pair = {"zoneUuid": ZONE_1_UUID, "backupStorageUuid": IMAGESTORE_1_UUID}
    with ProviderHost(env={"PULUMI_ZSTACK_LOG": "debug"}) as host:
        host.configure(config)
        host.create(pair)
        [session] = sessions_seen(proxy)
        echo = f"password {DISTINCT_PASSWORD} hash {PASSWORD_HASH} Authorization: OAuth {session}"
        secret_control.add_fault(
            method="DELETE",
            path="/backup-storage/",
            action="job_error",
            code="BS.1002",
            details=echo,
        )
        with pytest.raises(ProviderError) as err:
            host.delete(f"{ZONE_1_UUID}:{IMAGESTORE_1_UUID}", pair)
        message = str(err.value).strip().splitlines()[-1]
        logs = host.output()
    assert "BS.1002" in message and "***" in message
    assert "pulumi-zstack DEBUG" in logs
    assert_absent(
        {"password": DISTINCT_PASSWORD, "password hash": PASSWORD_HASH, "session": session},
        {"exception": str(err.value), "provider log": logs},
    )
    observe(f"exception: {message.split('AttachmentError: ')[-1]}")


def test_access_key_requests_are_verified_and_the_secret_never_sent(
    rel_simulator: SimulatorProcess, control: SimulatorControl, matrix: Matrix
) -> None:
    observe = matrix(
        "security",
        "access-key requests with a wrong signature, a wrong Date, no Date; the client's own requests",
        "403 / 403 / 400 plain text, as the node; the client sends Date + HMAC signature, never the secret",
    )
    url = f"{rel_simulator.url}/zstack/v1/zones"
    good_date = formatdate(usegmt=True)
    skewed_date = formatdate(time.time() - 20 * 60, usegmt=True)
    cases = {
        "wrong signature": {"Date": good_date, "Authorization": f"ZStack {ACCESS_KEY_ID}:AAAAbm90IGl0"},
        "secret as signature": {
            "Date": good_date,
            "Authorization": f"ZStack {ACCESS_KEY_ID}:{ACCESS_KEY_SECRET}",
        },
        "Date 20 minutes off": None,
        "no Date": {"Authorization": f"ZStack {ACCESS_KEY_ID}:AAAA"},
    }
    wrong = ZStackClient(rel_simulator.url, access_key_id=ACCESS_KEY_ID, access_key_secret="W" * 39)
    with wrong, pytest.raises(AuthenticationError):
        wrong.zones.query()
    from pulumi_zstack.client._auth import sign

    signature = sign(ACCESS_KEY_SECRET, "GET", skewed_date, "/v1/zones")
    cases["Date 20 minutes off"] = {
        "Date": skewed_date,
        "Authorization": f"ZStack {ACCESS_KEY_ID}:{signature}",
    }
    statuses = {
        name: requests.get(url, headers=headers, timeout=10).status_code for name, headers in cases.items()
    }
    # The node's answers (RestServer.java checkTime, AccessKeyManager.doAuth).
    assert statuses == {
        "wrong signature": 403,
        "secret as signature": 403,
        "Date 20 minutes off": 403,
        "no Date": 400,
    }
    observe(f"statuses {statuses}; a client with a wrong secret gets AuthenticationError")

    recording = Proxy((rel_simulator.host, rel_simulator.port))
    try:
        with ZStackClient(
            recording.url, access_key_id=ACCESS_KEY_ID, access_key_secret=ACCESS_KEY_SECRET
        ) as c:
            c.backup_storage.attach_to_zone(*A)
            c.zones.query()
    finally:
        recording.close()
    sent = bytes(recording.sent)
    assert sent.count(f"Authorization: ZStack {ACCESS_KEY_ID}:".encode()) >= 2 and b"\r\nDate: " in sent
    assert ACCESS_KEY_SECRET.encode() not in sent
    observe(f"the client's {sent.count(b'HTTP/1.1')} requests carried signatures, never the secret")


def test_simulator_binds_loopback_by_default_and_warns_otherwise(matrix: Matrix) -> None:
    observe = matrix(
        "security",
        "simulator started without --host, then with --host 0.0.0.0",
        "binds 127.0.0.1 silently by default; warns on stderr when asked to bind elsewhere",
    )
    seen = {}
    for args in ([], ["--host", "0.0.0.0"]):
        proc = subprocess.Popen(
            [sys.executable, "-m", "pulumi_zstack.simulator", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        port = int(first.rsplit(":", 1)[1])
        listening = _listening_addresses(port)
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
        seen[" ".join(args) or "default"] = (first, listening, stderr.strip())
    first, listening, stderr = seen["default"]
    assert first.startswith("listening on http://127.0.0.1:") and listening == {"127.0.0.1"}
    assert "warning" not in stderr
    first, listening, stderr = seen["--host 0.0.0.0"]
    assert listening == {"0.0.0.0"} and "warning: binding 0.0.0.0" in stderr and "beyond loopback" in stderr
    observe(f"default: {seen['default'][0]} (socket on 127.0.0.1, no warning); 0.0.0.0: {stderr}")


def _listening_addresses(port: int) -> set[str]:
    """IPv4 addresses with a listening TCP socket on ``port`` (from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:
            octets = [str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)]
            found.add(".".join(octets))
    return found
