"""Bad input: each case must fail with one line naming the field or setting, changing nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto

from pulumi_zstack import get_zone
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import ADMIN_PASSWORD, IMAGESTORE_1_UUID, ZONE_1_UUID
from tests.reliability.conftest import Matrix
from tests.reliability.harness import (
    Stack,
    Want,
    assert_consistent,
    changes,
    error_line,
    wants,
)
from tests.reliability.servers import NotZStack
from tests.tls import Proxy, self_signed_certificate

pytestmark = pytest.mark.e2e

A = (ZONE_1_UUID, IMAGESTORE_1_UUID)


def _failure_line(output: str, needle: str) -> str:
    """The line carrying the provider's message, and a check that it is a single line."""
    line = error_line(output, needle)
    assert line.count(needle) >= 1 and "\n" not in line
    return line.split("error: ", 1)[-1]


@pytest.fixture
def stack(tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl) -> Stack:
    return Stack(tmp_path, rel_simulator.url, wants(A))


DASHED = "6b1a3c7e-2d4f-4a1b-9c8d-7e6f5a4b3c21"

INPUT_CASES: list[tuple[str, Want, str]] = [
    ("malformed zoneUuid", Want("zone-1", IMAGESTORE_1_UUID), "zoneUuid must be 32 lowercase hexadecimal"),
    ("empty zoneUuid", Want("", IMAGESTORE_1_UUID), "zoneUuid is required"),
    (
        "dashed zoneUuid",
        Want(DASHED, IMAGESTORE_1_UUID),
        f"without dashes: '{DASHED.replace('-', '')}'",
    ),
    (
        "upper-case backupStorageUuid",
        Want(ZONE_1_UUID, IMAGESTORE_1_UUID.upper()),
        "backupStorageUuid must be 32 lowercase hexadecimal",
    ),
    ("systemTags a string", Want(*A, system_tags="tier::gold"), "systemTags must be a list of strings"),
    (
        "userTags with a number",
        Want(*A, user_tags=["ok", 5]),
        "userTags[1] must be a string, got the number 5",
    ),
    ("systemTags a mapping", Want(*A, system_tags={"tier": "gold"}), "systemTags must be a list of strings"),
]


def test_malformed_resource_inputs(stack: Stack, control: SimulatorControl, matrix: Matrix) -> None:
    for case, want, expected in INPUT_CASES:
        observe = matrix("bad input", case, "check fails with one line naming the field; no API call")
        stack.wanted = [want]
        line = _failure_line(stack.fails("up"), expected)
        assert control.requests() == [], f"{case}: the API was called"
        observe(f"up failed: {line}")
    stack.wanted = wants(A)
    stack.up()
    assert stack.preview() == {"same": 2}


def test_unknown_zone_and_backup_storage(stack: Stack, control: SimulatorControl, matrix: Matrix) -> None:
    cases = [
        (
            "unknown zone (well-formed zoneUuid)",
            Want("f" * 32, IMAGESTORE_1_UUID),
            "zoneUuid",
            "names no zone",
        ),
        (
            "unknown backup storage (well-formed backupStorageUuid)",
            Want(ZONE_1_UUID, "e" * 32),
            "backupStorageUuid",
            "names no backup storage",
        ),
    ]
    for case, want, field, expected in cases:
        observe = matrix(
            "bad input",
            case,
            "create fails with one line naming the field; the node refuses the attach, nothing changes",
        )
        stack.wanted = [want]
        line = _failure_line(stack.fails("up"), expected)
        assert field in line and changes(control) == []
        observe(f"up failed: {line.split('AttachmentError: ')[-1]}")

    observe = matrix(
        "bad input",
        "get_zone(name=...) of an unknown zone, then get_zone with a wrong zstack:accountPassword",
        "the program fails with one line and no Python traceback; the refused login names "
        "zstack:accountPassword; no session is left open",
    )

    def lookup() -> None:
        get_zone(name="no-such-zone")

    stack.program = lookup
    output = stack.fails("up")
    line = _failure_line(output, "get_zone: no zone with name='no-such-zone'")
    assert changes(control) == [] and "Traceback" not in output
    observe(f"up failed: {line.split('error: ')[-1]}")
    stack.program = lambda: get_zone(name="zone-1") and None
    stack.set("zstack:accountPassword", "Wr0ng-Pa55-e7c1", secret=True)
    output = stack.fails("up")
    line = _failure_line(output, "get_zone: LogInByAccount failed: ID.1000")
    assert (
        "'zstack:accountPassword'" in line and "Traceback" not in output and "Wr0ng-Pa55-e7c1" not in output
    )
    stats = control.stats()
    assert stats["logins"] == stats["logouts"] and stats["activeSessions"] == 0, stats
    observe(f"wrong password: up failed: {line.split('error: ')[-1]}")
    stack.set("zstack:accountPassword", ADMIN_PASSWORD, secret=True)
    stack.program = stack._declare
    stack.wanted = wants(A)
    stack.up()
    assert_consistent(stack, control)


SIM = "<simulator>"
LOGIN = {"accountName": "admin", "accountPassword!": ADMIN_PASSWORD}
SETTINGS_CASES: list[tuple[str, dict[str, str], str]] = [
    ("no endpoint", LOGIN, "no ZStack endpoint configured: set 'zstack:endpoint' (env ZSTACK_ENDPOINT)"),
    ("endpoint with another scheme", {"endpoint": "ftp://zstack.example:8080", **LOGIN}, "'zstack:endpoint'"),
    ("port not a port number", {"host": "127.0.0.1", "port": "8080.0", **LOGIN}, "'zstack:port'"),
    ("no credentials", {"endpoint": SIM}, "no ZStack credentials configured: set 'zstack:accountName'"),
    (
        "accountName without accountPassword",
        {"endpoint": SIM, "accountName": "admin"},
        "set 'zstack:accountPassword' (env ZSTACK_ACCOUNT_PASSWORD)",
    ),
    (
        "accountPassword without accountName",
        {"endpoint": SIM, "accountPassword!": "x"},
        "set 'zstack:accountName'",
    ),
    (
        "accessKeyId without accessKeySecret",
        {"endpoint": SIM, "accessKeyId": "k"},
        "set 'zstack:accessKeySecret'",
    ),
    (
        "accessKeySecret without accessKeyId",
        {"endpoint": SIM, "accessKeySecret!": "s"},
        "set 'zstack:accessKeyId'",
    ),
    ("jobTimeout not a number", {"endpoint": SIM, **LOGIN, "jobTimeout": "soon"}, "'zstack:jobTimeout'"),
    ("insecure not a boolean", {"endpoint": SIM, **LOGIN, "insecure": "maybe"}, "'zstack:insecure'"),
    (
        "caBundle names no file",
        {"endpoint": SIM, **LOGIN, "caBundle": "/nonexistent.pem"},
        "'zstack:caBundle'",
    ),
]


def test_missing_and_half_set_settings(
    tmp_path: Path, rel_simulator: SimulatorProcess, control: SimulatorControl, matrix: Matrix
) -> None:
    for index, (case, values, expected) in enumerate(SETTINGS_CASES):
        observe = matrix("bad input", f"settings: {case}", "configure fails with one line naming the setting")
        config = {
            f"zstack:{key.rstrip('!')}": auto.ConfigValue(
                rel_simulator.url if value == SIM else value, secret=key.endswith("!")
            )
            for key, value in values.items()
        }
        stack = Stack(tmp_path / str(index), rel_simulator.url, wants(A), raw_config=config)
        line = _failure_line(stack.fails("preview"), expected)
        assert "SettingsError" in line
        assert control.requests() == []
        observe(f"preview failed: {line.split('SettingsError: ')[-1]}")


@pytest.mark.parametrize(
    ("kind", "status", "body", "content_type"),
    [
        ("an HTML page", 200, "<html><body><h1>Welcome to nginx!</h1></body></html>", "text/html"),
        ("a bare 404", 404, "404 page not found", "text/plain"),
    ],
)
def test_an_endpoint_that_is_not_zstack(
    tmp_path: Path,
    control: SimulatorControl,
    matrix: Matrix,
    kind: str,
    status: int,
    body: str,
    content_type: str,
) -> None:
    observe = matrix(
        "bad input",
        f"zstack:endpoint answers with {kind} (HTTP {status}, {content_type})",
        "one line saying it is not a ZStack endpoint and naming zstack:endpoint; only the login was tried",
    )
    server = NotZStack(status, body, content_type)
    try:
        stack = Stack(tmp_path, server.url, wants(A))
        line = _failure_line(stack.fails("up"), "is this a ZStack endpoint")
        assert "'zstack:endpoint'" in line
        assert server.requests == [("PUT", "/zstack/v1/accounts/login")]
        observe(f"up failed: {line.split('AttachmentError: ')[-1]}")
    finally:
        server.close()


# -- TLS ---------------------------------------------------------------------------------------------


@pytest.fixture
def https(tmp_path: Path, rel_simulator: SimulatorProcess) -> Iterator[tuple[Proxy, Path]]:
    cert, key = self_signed_certificate(tmp_path)
    proxy = Proxy((rel_simulator.host, rel_simulator.port), tls=(cert, key))
    yield proxy, cert
    proxy.close()


WARNING = "TLS certificate verification is disabled"


def test_tls_verification_is_on_unless_insecure_is_asked_for(
    tmp_path: Path, https: tuple[Proxy, Path], control: SimulatorControl, matrix: Matrix
) -> None:
    proxy, cert = https
    stack = Stack(tmp_path / "stack", proxy.url, wants(A))

    observe = matrix(
        "TLS",
        "https endpoint with a self-signed certificate, verification on (the default)",
        "one line: TLS handshake failed, naming zstack:caBundle / zstack:insecure; nothing reached ZStack",
    )
    line = _failure_line(stack.fails("up"), "TLS handshake")
    assert "certificate verify failed" in line and "'zstack:caBundle'" in line and "verify=False" not in line
    assert proxy.handshake_failures >= 1 and control.requests() == []
    assert WARNING not in stack.text()
    observe(f"up failed: {line.split('AttachmentError: ')[-1]}")

    observe = matrix("TLS", "zstack:insecure=false said explicitly", "verification stays on")
    stack.set("zstack:insecure", "false")
    line = _failure_line(stack.fails("up"), "TLS handshake")
    assert "certificate verify failed" in line
    observe("up failed the same way")

    observe = matrix("TLS", "zstack:caBundle = the server's certificate", "verified; up succeeds; no warning")
    stack.unset("zstack:insecure")
    stack.set("zstack:caBundle", str(cert))
    stack.output.clear()
    stack.up()
    assert WARNING not in stack.text()
    observe(f"up ok through TLS; {assert_consistent(stack, control)}")

    observe = matrix(
        "TLS",
        "zstack:insecure=true",
        "verification really off (the untrusted certificate is accepted) and one warning is printed",
    )
    stack.unset("zstack:caBundle")
    stack.set("zstack:insecure", "true")
    stack.output.clear()
    stack.up()  # records the new provider settings (a plain refresh uses those of the last update)
    stack.refresh(expect_no_changes=True)
    lines = [line for line in stack.text().splitlines() if WARNING in line]
    assert lines and "'zstack:insecure'" in lines[0]
    assert "InsecureRequestWarning" not in stack.text()
    assert proxy.handshake_failures == 2 and proxy.connections >= 1
    observe(f"up and refresh ok with the self-signed certificate; printed: {lines[0].split('warning: ')[-1]}")
