"""TLS test support shared by the client and reliability suites: a self-signed certificate for
127.0.0.1 (from the ``openssl`` command) and a TCP proxy that can terminate TLS in front of the
simulator. The proxy binds 127.0.0.1 on a free port and runs in daemon threads."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pytest


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """``(cert.pem, key.pem)`` for 127.0.0.1 from the ``openssl`` command (skips without it)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed")
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


def _pipe(source: socket.socket, target: socket.socket, record: Callable[[bytes], None] | None) -> None:
    try:
        while data := source.recv(65536):
            if record is not None:
                record(data)
            target.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class Proxy:
    """Forward every connection to ``upstream``, recording the bytes both ways (``sent`` by the
    clients, ``received`` by them); optionally terminate TLS with ``tls=(cert, key)``."""

    def __init__(self, upstream: tuple[str, int], *, tls: tuple[Path, Path] | None = None) -> None:
        self.upstream = upstream
        self.sent = bytearray()
        self.received = bytearray()
        self.connections = 0
        self.handshake_failures = 0
        self._lock = threading.Lock()
        self._context: ssl.SSLContext | None = None
        if tls is not None:
            self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._context.load_cert_chain(*tls)
        self._listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        scheme = "https" if self._context is not None else "http"
        return f"{scheme}://127.0.0.1:{self._listener.getsockname()[1]}"

    def _record(self, data: bytes) -> None:
        with self._lock:
            self.sent.extend(data)

    def _record_answer(self, data: bytes) -> None:
        with self._lock:
            self.received.extend(data)

    def _serve(self, conn: socket.socket) -> None:
        client: socket.socket = conn
        if self._context is not None:
            try:
                client = self._context.wrap_socket(conn, server_side=True)
            except (OSError, ssl.SSLError):
                with self._lock:
                    self.handshake_failures += 1
                conn.close()
                return
        with self._lock:
            self.connections += 1
        backend = socket.create_connection(self.upstream)
        threading.Thread(target=_pipe, args=(backend, client, self._record_answer), daemon=True).start()
        _pipe(client, backend, self._record)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def close(self) -> None:
        self._listener.close()
