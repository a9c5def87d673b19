"""The reference providers of the benchmark, and a resource class to run them.

They are pickled **by reference** into every resource's ``__provider``, so they live in this
importable module and the provider process must find it on ``PYTHONPATH`` (the benchmark sets
it for the engine and its plugins).

- :class:`FloorProvider`: same ``check``/``diff`` as the product, but ``create``, ``read`` and
  ``delete`` return at once with outputs of the same shape, never touching the network. A stack
  of these measures the engine's floor *E*: everything but the ZStack API and our client.
- :class:`SleepProvider`: like the floor, but ``create`` and ``delete`` sleep the job latency L:
  the engine and the host running L-long operations, the best any provider could do.
- :class:`NaiveProvider`: the product's ``create``/``read``/``delete``, but each operation builds a
  fresh client, as a user of the official SDKs does (a new login per operation), that polls jobs
  at a fixed interval of 1 s (the Java and Python SDKs' default) and learns nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pulumi
import pulumi.dynamic

from pulumi_zstack.backup_storage_zone_attachment import (
    SPEC,
    BackupStorageZoneAttachment,
    BackupStorageZoneAttachmentProvider,
)
from pulumi_zstack.client import ZStackClient
from pulumi_zstack.client.jobs import PollPolicy
from pulumi_zstack.config import NAMESPACE, Settings

T = TypeVar("T")

NAIVE_POLL_INTERVAL = 1.0
"""Seconds between two polls of the naive client (the Java and Python SDKs poll every second)."""

NAIVE_POLL_POLICY = PollPolicy(
    initial_interval=NAIVE_POLL_INTERVAL,
    multiplier=1.0,
    max_interval=NAIVE_POLL_INTERVAL,
    min_interval=NAIVE_POLL_INTERVAL,
    jitter=0.0,
    learn=False,
)
"""Polls every second, first after 1 s, learning nothing (the official SDKs' schedule)."""


def _fake_outputs(props: dict[str, Any], zone_uuid: str) -> dict[str, Any]:
    """Outputs shaped like the product's (inputs + a backup storage inventory), made up locally."""
    return {
        **{key: props[key] for key in SPEC.input_fields if props.get(key) is not None},
        "name": "bench-bs",
        "url": "/zstack_bs",
        "totalCapacity": 1099511627776,
        "availableCapacity": 824633720832,
        "type": "ImageStoreBackupStorage",
        "state": "Enabled",
        "status": "Connected",
        "createDate": "Jan 1, 2025 12:00:00 AM",
        "lastOpDate": "Jan 1, 2025 12:00:00 AM",
        "attachedZoneUuids": [zone_uuid],
    }


class FloorProvider(BackupStorageZoneAttachmentProvider):
    """Instant create/read/delete: what is left is the engine's and the provider host's time."""

    def configure(self, req: pulumi.dynamic.ConfigureRequest) -> None:
        pass

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        zone_uuid, bs_uuid = props["zoneUuid"], props["backupStorageUuid"]
        return pulumi.dynamic.CreateResult(
            SPEC.format_id(zone_uuid, bs_uuid), _fake_outputs(props, zone_uuid)
        )

    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        zone_uuid, _ = SPEC.parse_id(id_)
        inputs = self._inputs_of(props)
        return pulumi.dynamic.ReadResult(id_, _fake_outputs(props, zone_uuid), inputs=inputs)

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        pass


class SleepProvider(FloorProvider):
    """Like :class:`FloorProvider`, but ``create`` and ``delete`` take exactly the job latency L.

    A stack of these is the best any provider could do: the engine and the provider host
    running operations that each take L, with no API and no client. ``T_sleep - E - ideal`` is
    the engine's and the host's own cost of running the waves; ``T - T_sleep`` is our client's.
    L comes from the stack config ``bench:latency``.
    """

    _latency = 0.0

    def configure(self, req: pulumi.dynamic.ConfigureRequest) -> None:
        self._latency = float(req.config.get("bench:latency") or 0.0)

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        time.sleep(self._latency)
        return super().create(props)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        time.sleep(self._latency)


class NaiveProvider(BackupStorageZoneAttachmentProvider):
    """The product's operations through a new, fixed-interval client per operation."""

    _settings: Settings | None = None
    _local: threading.local

    def configure(self, req: pulumi.dynamic.ConfigureRequest) -> None:
        self._settings = Settings.resolve(lambda key: req.config.get(f"{NAMESPACE}:{key}"))
        self._local = threading.local()

    @property
    def client(self) -> ZStackClient:
        client: ZStackClient = self._local.client
        return client

    @property
    def _known(self) -> set[str]:  # type: ignore[override]
        # Like a fresh SDK client, remember nothing between operations: check the zone each time.
        return set()

    def _with_fresh_client(self, operation: Callable[..., T], *args: Any) -> T:
        assert self._settings is not None
        client = self._settings.new_client(poll_policy=NAIVE_POLL_POLICY)
        self._local.client = client
        try:
            return operation(*args)
        finally:
            del self._local.client
            client.close()  # logs out, as a careful SDK user does

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        return self._with_fresh_client(super().create, props)

    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        return self._with_fresh_client(super().read, id_, props)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self._with_fresh_client(super().delete, id_, props)


class BenchAttachment(BackupStorageZoneAttachment, module="zstack", name="BackupStorageZoneAttachment"):
    """A ``BackupStorageZoneAttachment`` (same type token, properties and outputs) run by ``provider``."""

    def __init__(
        self,
        resource_name: str,
        provider: pulumi.dynamic.ResourceProvider,
        *,
        zone_uuid: str,
        backup_storage_uuid: str,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = dict.fromkeys(SPEC.py_to_wire)
        props.update(zone_uuid=zone_uuid, backup_storage_uuid=backup_storage_uuid)
        pulumi.dynamic.Resource.__init__(self, provider, resource_name, props, opts)
