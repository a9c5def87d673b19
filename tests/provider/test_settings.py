"""Every provider setting and its environment fallback, through the real provider host.

Each setting is given once as stack config (``zstack:<key>``, what ``Configure`` receives) and once
as the environment variable the README names, and the test observes its effect on the simulator
(request log, authentication) or on the request's outcome. The environment names are written out
here from the README's table, not taken from the code under test.
"""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess, SimulatorStartError
from pulumi_zstack.simulator.seed import (
    ACCESS_KEY_ID,
    ACCESS_KEY_SECRET,
    ADMIN_ACCOUNT,
    ADMIN_PASSWORD,
    IMAGESTORE_1_UUID,
    ZONE_1_UUID,
)
from tests.provider.host import ProviderError, ProviderHost
from tests.tls import Proxy, self_signed_certificate

PAIR = {"zoneUuid": ZONE_1_UUID, "backupStorageUuid": IMAGESTORE_1_UUID}
PAIR_ID = f"{ZONE_1_UUID}:{IMAGESTORE_1_UUID}"

ENV = {
    "endpoint": "ZSTACK_ENDPOINT",
    "host": "ZSTACK_HOST",
    "port": "ZSTACK_PORT",
    "contextPath": "ZSTACK_CONTEXT_PATH",
    "accountName": "ZSTACK_ACCOUNT_NAME",
    "accountPassword": "ZSTACK_ACCOUNT_PASSWORD",
    "accessKeyId": "ZSTACK_ACCESS_KEY_ID",
    "accessKeySecret": "ZSTACK_ACCESS_KEY_SECRET",
    "insecure": "ZSTACK_INSECURE",
    "caBundle": "ZSTACK_CA_BUNDLE",
    "jobTimeout": "ZSTACK_JOB_TIMEOUT",
    "requestTimeout": "ZSTACK_REQUEST_TIMEOUT",
}
ACCOUNT = {"accountName": ADMIN_ACCOUNT, "accountPassword": ADMIN_PASSWORD}
ACCESS_KEY = {"accessKeyId": ACCESS_KEY_ID, "accessKeySecret": ACCESS_KEY_SECRET}

SOURCES = ["config", "env"]


def provider(source: str, settings: dict[str, str], config: dict[str, str] | None = None) -> ProviderHost:
    """A configured provider host given ``settings`` as stack config or as environment variables;
    ``config`` is stack config given in both cases."""
    extra = {f"zstack:{key}": value for key, value in (config or {}).items()}
    if source == "config":
        host = ProviderHost()
        host.configure({**{f"zstack:{key}": value for key, value in settings.items()}, **extra})
    else:
        host = ProviderHost(env={ENV[key]: value for key, value in settings.items()})
        host.configure(extra)
    return host


def _auth_kinds(sim: SimulatorControl) -> set[str]:
    """How the API calls were authenticated (job polls carry no credentials, logins are logins)."""
    return {
        r["auth"]
        for r in sim.requests()
        if "/accounts/login" not in r["path"] and not r["path"].startswith("/zstack/v1/api-jobs/")
    }


def _logins(sim: SimulatorControl) -> int:
    return sum(1 for r in sim.requests() if r["path"].endswith("/accounts/login"))


def failed_create(source: str, settings: dict[str, str]) -> str:
    """The last line of the error of a create that must fail with these settings."""
    with provider(source, settings) as h, pytest.raises(ProviderError) as err:
        h.create(dict(PAIR))
    return str(err.value).strip().splitlines()[-1]


# -- where: endpoint, host and port, context path --------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
def test_context_path_is_where_requests_go(
    source: str, simulator: SimulatorProcess, sim: SimulatorControl
) -> None:
    error = failed_create(source, {"endpoint": simulator.url, "contextPath": "custom", **ACCOUNT})
    # The simulator serves /zstack only: the login went to /custom and found no ZStack there.
    assert f"{simulator.url}/custom" in error
    assert sim.requests() == []


@pytest.mark.parametrize("source", SOURCES)
def test_host_and_port(source: str, simulator: SimulatorProcess, sim: SimulatorControl) -> None:
    settings = {"host": simulator.host, "port": str(simulator.port), **ACCOUNT}
    with provider(source, settings) as h:
        assert h.create(dict(PAIR))[0] == PAIR_ID
    assert _logins(sim) == 1


@pytest.mark.parametrize("source", SOURCES)
def test_an_endpoint_without_scheme_means_http(
    source: str, simulator: SimulatorProcess, sim: SimulatorControl
) -> None:
    with provider(source, {"endpoint": f"{simulator.host}:{simulator.port}", **ACCOUNT}) as h:
        assert h.create(dict(PAIR))[0] == PAIR_ID
    assert _logins(sim) == 1


@pytest.fixture(scope="module")
def simulator_on_8080() -> Iterator[SimulatorProcess]:
    """A simulator on port 8080 of a loopback address of its own (127.x.y.z: nothing else that
    uses 8080 on 127.0.0.1, such as ``make sim``, is in the way)."""
    rng = random.Random()
    for _ in range(5):
        address = f"127.{rng.randrange(1, 255)}.{rng.randrange(0, 255)}.{rng.randrange(2, 255)}"
        with socket.socket() as probe:
            try:
                probe.bind((address, 8080))
            except OSError:
                continue
        try:
            with SimulatorProcess(host=address, port=8080, job_delay=0.05) as process:
                yield process
            return
        except SimulatorStartError:
            continue
    pytest.skip("no loopback address with a free port 8080")


@pytest.mark.parametrize("source", SOURCES)
def test_host_without_port_means_port_8080(source: str, simulator_on_8080: SimulatorProcess) -> None:
    control = SimulatorControl(simulator_on_8080.url)
    control.reset()
    with provider(source, {"host": simulator_on_8080.host, **ACCOUNT}) as h:
        assert h.create(dict(PAIR))[0] == PAIR_ID
    assert _logins(control) == 1
    control.close()


# -- credentials --------------------------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
def test_access_key(source: str, simulator: SimulatorProcess, sim: SimulatorControl) -> None:
    with provider(source, {"endpoint": simulator.url, **ACCESS_KEY}) as h:
        assert h.create(dict(PAIR))[0] == PAIR_ID
    assert _logins(sim) == 0
    assert _auth_kinds(sim) == {"accesskey"}


@pytest.mark.parametrize(
    ("source", "account_from", "key_from"),
    [("config", "settings", "settings"), ("env", "settings", "settings"), ("env", "settings", "config")],
    ids=["both-in-config", "both-in-env", "account-in-env-key-in-config"],
)
def test_the_account_wins_over_an_access_key(
    source: str, account_from: str, key_from: str, simulator: SimulatorProcess, sim: SimulatorControl
) -> None:
    settings = {"endpoint": simulator.url, **ACCOUNT}
    config: dict[str, str] = {}
    (settings if key_from == "settings" else config).update(ACCESS_KEY)
    with provider(source, settings, config) as h:
        assert h.create(dict(PAIR))[0] == PAIR_ID
    assert _logins(sim) == 1
    assert _auth_kinds(sim) == {"session"}


# -- TLS ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def https_url(simulator: SimulatorProcess, certificate: tuple[Path, Path]) -> Iterator[str]:
    proxy = Proxy((simulator.host, simulator.port), tls=certificate)
    yield proxy.url
    proxy.close()


def test_a_self_signed_certificate_is_refused_by_default(https_url: str, sim: SimulatorControl) -> None:
    error = failed_create("config", {"endpoint": https_url, **ACCOUNT})
    assert "TLS" in error
    assert sim.requests() == []


@pytest.mark.parametrize("source", SOURCES)
def test_ca_bundle_verifies_the_certificate(
    source: str, https_url: str, certificate: tuple[Path, Path], sim: SimulatorControl
) -> None:
    with provider(source, {"endpoint": https_url, "caBundle": str(certificate[0]), **ACCOUNT}) as h:
        assert h.create(dict(PAIR))[0] == PAIR_ID
        output = h.output()
    assert "verification is disabled" not in output
    assert _logins(sim) == 1


@pytest.mark.parametrize("source", SOURCES)
def test_insecure_skips_verification_with_a_warning(
    source: str, https_url: str, sim: SimulatorControl
) -> None:
    with provider(source, {"endpoint": https_url, "insecure": "true", **ACCOUNT}) as h:
        assert h.create(dict(PAIR))[0] == PAIR_ID
        output = h.output()
    assert f"TLS certificate verification is disabled for {https_url}" in output
    assert _logins(sim) == 1


# -- timeouts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
def test_job_timeout(source: str, simulator: SimulatorProcess, sim: SimulatorControl) -> None:
    # The attach job runs 5 s; a 1 s job timeout gives up first (the default, 1800 s, would wait).
    sim.add_fault(method="POST", path="/backup-storage/", action="job_delay", seconds=5)
    error = failed_create(source, {"endpoint": simulator.url, "jobTimeout": "1", **ACCOUNT})
    assert "still running after 1s" in error


@pytest.mark.parametrize("source", SOURCES)
def test_request_timeout(source: str, simulator: SimulatorProcess, sim: SimulatorControl) -> None:
    # Every login is answered after 2 s; with a 0.5 s request timeout none is waited for (the
    # default, 30 s, would wait and succeed).
    sim.add_fault(method="PUT", path="/accounts/login", action="delay", seconds=2, count=-1)
    error = failed_create(source, {"endpoint": simulator.url, "requestTimeout": "0.5", **ACCOUNT})
    assert "0.5" in error
    assert not any(r["method"] == "POST" for r in sim.requests())  # gave up before attaching
