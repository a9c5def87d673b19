"""https: the simulator behind a small TLS-terminating proxy with a self-signed certificate.

The certificate comes from the ``openssl`` command line; without it these tests are skipped.
The proxy also checks location rewriting: the simulator builds job locations from the Host
header with scheme ``http``, and the client must poll its own ``https`` endpoint instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pulumi_zstack.client import TransportError, ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from tests.client.client_support import IMAGESTORE_1, ZONE_1, api_requests
from tests.tls import Proxy, self_signed_certificate

MakeClient = Callable[..., ZStackClient]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def https_url(simulator: SimulatorProcess, certificate: tuple[Path, Path]) -> Iterator[str]:
    proxy = Proxy((simulator.host, simulator.port), tls=certificate)
    yield proxy.url
    proxy.close()


def test_https_with_the_certificate_as_ca_bundle(
    make_client: MakeClient, https_url: str, certificate: tuple[Path, Path], control: SimulatorControl
) -> None:
    client = make_client(endpoint=https_url, verify=str(certificate[0]))
    assert client.zones.count() == 2
    inventory = client.backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)  # polls https, not the location
    assert inventory.attached_zone_uuids == [ZONE_1]
    assert api_requests(control, "GET", "/api-jobs/")


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_https_without_verification(make_client: MakeClient, https_url: str) -> None:
    assert make_client(endpoint=https_url, verify=False).zones.count() == 2


def test_untrusted_certificate_is_a_clear_transport_error(make_client: MakeClient, https_url: str) -> None:
    with pytest.raises(TransportError) as info:
        make_client(endpoint=https_url).zones.count()
    assert info.value.kind == "tls"
    assert info.value.advice == "pass verify=<CA bundle path> or verify=False"
    assert info.value.reason == str(info.value).removesuffix("; " + info.value.advice)
    message = str(info.value)
    assert message.startswith(f"LogInByAccount: TLS handshake with {https_url}/zstack failed (")
    assert "verify" in message
    assert message.endswith("pass verify=<CA bundle path> or verify=False")
