"""Drive the real Pulumi Python provider host (``python -m pulumi.dynamic``) over gRPC.

This is what the Pulumi engine does with a dynamic resource: start the plugin, read its port
from stdout, call ``Configure`` with the whole stack config, then ``Check``/``Diff``/``Create``/
``Read``/``Update``/``Delete`` with protobuf property maps that carry the pickled provider in
``__provider``. Values cross the wire as ``google.protobuf.Struct`` (numbers are doubles), and
unknown values are the engine's sentinel string, exactly as the engine sends them.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import json_format, struct_pb2
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc
from pulumi.runtime.rpc import UNKNOWN

from pulumi_zstack import BackupStorageZoneAttachmentProvider
from pulumi_zstack._attachment import AttachmentProvider

TYPE = "pulumi-python:dynamic/zstack:BackupStorageZoneAttachment"
PROVIDER = serialize_provider(BackupStorageZoneAttachmentProvider())
_SYS_TGKILL = 234  # x86-64 Linux


class ProviderError(Exception):
    """The provider host failed a call; ``str()`` is the traceback it sent back."""


def _wire(value: Any) -> Any:
    if value is UNKNOWN_INPUT:
        return UNKNOWN
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


def _struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update({k: _wire(v) for k, v in props.items()})
    return s


def _dict(s: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(s)


UNKNOWN_INPUT = object()
"""Marker: send this input as an unknown value, as the engine does during preview."""


class ProviderHost:
    """A running ``python -m pulumi.dynamic`` process and a gRPC stub to it."""

    def __init__(
        self, env: Mapping[str, str] | None = None, provider: type[AttachmentProvider] | None = None
    ) -> None:
        """``provider``: the provider class the resources name (default: the backup storage one)."""
        provider = provider or BackupStorageZoneAttachmentProvider
        self._provider = serialize_provider(provider())
        self._type = f"pulumi-python:dynamic/zstack:{provider.spec.type_name}"
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.dynamic"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        assert self.process.stdout is not None and self.process.stderr is not None
        port = self.process.stdout.readline().decode().strip()
        if not port.isdigit():
            raise RuntimeError(f"provider host did not start: {self.process.stderr.read().decode()}")
        self._stdout: list[str] = []
        self._stderr: list[str] = []
        for stream, sink in ((self.process.stdout, self._stdout), (self.process.stderr, self._stderr)):
            threading.Thread(target=self._drain, args=(stream, sink), daemon=True).start()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    @staticmethod
    def _drain(stream: Any, sink: list[str]) -> None:
        for line in iter(stream.readline, b""):
            sink.append(line.decode(errors="replace"))

    def output(self) -> str:
        """Everything the provider process printed so far (stdout and stderr)."""
        return "".join(self._stdout) + "".join(self._stderr)

    def printed(self, text: str, timeout: float = 10.0) -> bool:
        """Whether the provider prints ``text`` within ``timeout`` seconds (its output is read by
        threads, so a line printed just before a call returned may not have arrived yet)."""
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def _with_provider(self, props: Mapping[str, Any]) -> dict[str, Any]:
        return {"__provider": self._provider, **props}

    def close(self) -> None:
        self.channel.close()
        self.process.terminate()
        self.process.wait(timeout=10)

    def stop_like_the_engine(self) -> int:
        """Stop the process as the engine does (SIGINT, then up to 5 s); return its exit code."""
        self.channel.close()
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=5)

    def stop_through_another_thread(self, name: str) -> int:
        """Stop the process as the engine does, the SIGINT landing on one of its threads other than
        the main one, whose name (``/proc`` ``comm``) starts with ``name`` (as the kernel delivers a
        process-directed signal when the main thread does not take it); return its exit code."""
        pid = self.process.pid
        tasks = Path(f"/proc/{pid}/task")
        tid = next(
            int(task.name)
            for task in sorted(tasks.iterdir())
            if int(task.name) != pid and (task / "comm").read_text().startswith(name)
        )
        self.channel.close()
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.syscall(_SYS_TGKILL, pid, tid, signal.SIGINT) != 0:
            raise OSError(ctypes.get_errno(), "tgkill failed")
        return self.process.wait(timeout=5)

    def __enter__(self) -> ProviderHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, request: Any) -> Any:
        try:
            return getattr(self.stub, method)(request, timeout=120)
        except grpc.RpcError as err:
            raise ProviderError(err.details()) from None

    def configure(self, config: Mapping[str, str]) -> None:
        self._call(
            "Configure",
            provider_pb2.ConfigureRequest(variables=dict(config), args=_struct(config), acceptSecrets=False),
        )

    def check(
        self, news: Mapping[str, Any], olds: Mapping[str, Any] | None = None
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        resp = self._call(
            "Check",
            provider_pb2.CheckRequest(
                urn=_urn(self._type),
                type=self._type,
                olds=_struct(self._with_provider(olds or {})),
                news=_struct(self._with_provider(news)),
            ),
        )
        return _dict(resp.inputs), [(f.property, f.reason) for f in resp.failures]

    def diff(self, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> provider_pb2.DiffResponse:
        return self._call(
            "Diff",
            provider_pb2.DiffRequest(
                id=id_,
                urn=_urn(self._type),
                type=self._type,
                olds=_struct(self._with_provider(olds)),
                news=_struct(self._with_provider(news)),
            ),
        )

    def create(self, props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        resp = self._call(
            "Create",
            provider_pb2.CreateRequest(
                urn=_urn(self._type), type=self._type, properties=_struct(self._with_provider(props))
            ),
        )
        return resp.id, _dict(resp.properties)

    def read(
        self, id_: str, props: Mapping[str, Any] | None = None, inputs: Mapping[str, Any] | None = None
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        resp = self._call(
            "Read",
            provider_pb2.ReadRequest(
                id=id_,
                urn=_urn(self._type),
                type=self._type,
                properties=_struct(self._with_provider(props)) if props is not None else None,
                inputs=_struct(self._with_provider(inputs or {})),
            ),
        )
        return resp.id, _dict(resp.properties), _dict(resp.inputs)

    def update(self, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
        resp = self._call(
            "Update",
            provider_pb2.UpdateRequest(
                id=id_,
                urn=_urn(self._type),
                type=self._type,
                olds=_struct(olds),
                news=_struct(self._with_provider(news)),
            ),
        )
        return _dict(resp.properties)

    def delete(self, id_: str, props: Mapping[str, Any]) -> None:
        self._call(
            "Delete",
            provider_pb2.DeleteRequest(
                id=id_, urn=_urn(self._type), type=self._type, properties=_struct(self._with_provider(props))
            ),
        )


def _urn(type_: str = TYPE) -> str:
    return f"urn:pulumi:test::zstack::{type_}::attachment"
