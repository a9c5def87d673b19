"""https: the simulator behind a small TLS-terminating proxy with a self-signed certificate.

The certificate comes from the ``openssl`` command line; without it these tests are skipped.
The proxy also checks location rewriting: the simulator builds job locations from the Host
header with scheme ``http``, and the client must poll its own ``https`` endpoint instead.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pulumi_zstack.client import TransportError, ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from tests.client.client_support import IMAGESTORE_1, ZONE_1, api_requests

MakeClient = Callable[..., ZStackClient]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed")
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture(scope="module")
def https_url(simulator: SimulatorProcess, certificate: tuple[Path, Path]) -> Iterator[str]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    listener = socket.create_server(("127.0.0.1", 0))
    upstream = (simulator.host, simulator.port)

    def pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def serve(conn: socket.socket) -> None:
        try:
            tls = context.wrap_socket(conn, server_side=True)
        except (OSError, ssl.SSLError):
            conn.close()
            return
        backend = socket.create_connection(upstream)
        threading.Thread(target=pipe, args=(backend, tls), daemon=True).start()
        pipe(tls, backend)

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


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
    message = str(info.value)
    assert message.startswith(f"LogInByAccount: TLS handshake with {https_url}/zstack failed (")
    assert "verify" in message
    assert message.endswith("pass verify=<CA bundle path> or verify=False")
