"""The reference providers of the benchmark, and a resource class to run them.

For every attachment resource of :data:`benchmarks.resources.RESOURCES` there are three
reference providers, each the product's provider class of that resource (same ``spec``,
``check`` and ``diff``) with one of these mixed in:

- :class:`FloorProvider`: ``create``, ``read`` and ``delete`` return at once with outputs of the
  same shape as the product's (the inputs and the member's inventory), never touching the
  network. A stack of these measures the engine's floor *E*: everything but the ZStack API and
  our client.
- :class:`SleepProvider`: like the floor, but ``create`` and ``delete`` sleep the job latency L:
  the engine and the host running L-long operations, the best any provider could do.
- :class:`NaiveProvider`: the product's ``create``/``read``/``delete``, but each operation builds a
  fresh client, as a user of the official SDKs does (a new login per operation), that polls jobs
  at a fixed interval of 1 s (the Java and Python SDKs' default) and learns nothing.

They are pickled **by reference** into every resource's ``__provider``, so each is a name of
this importable module (e.g. ``PrimaryStorageClusterAttachmentFloorProvider``, made below from
the table) and the provider process must find it on ``PYTHONPATH`` (the benchmark sets it for
the engine and its plugins). :data:`PROVIDERS` maps ``(resource key, variant)`` to them.
"""

from __future__ import annotations

import functools
import threading
import time
import types
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, cast

import pulumi
import pulumi.dynamic

from benchmarks.resources import RESOURCES, BenchResource
from pulumi_zstack._attachment import AttachmentProvider, AttachmentResource
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

FAKE_DATE = "Jan 1, 2025 12:00:00 AM"


@functools.cache
def _fake_inventory(res: BenchResource) -> dict[str, Any]:
    """The member inventory outputs of every pair: member 0's, as the product would record it
    (its uuid and the spec's other omitted fields left out, dates added)."""
    spec = res.spec
    inventory = {k: v for k, v in res.member_inventory(0).items() if k not in spec.omit}
    return {**inventory, "createDate": FAKE_DATE, "lastOpDate": FAKE_DATE}


class FloorProvider(AttachmentProvider):
    """Instant create/read/delete: what is left is the engine's and the provider host's time.

    A mixin: the classes of :data:`PROVIDERS` put it before a product provider class.
    """

    bench: ClassVar[BenchResource]

    def configure(self, req: pulumi.dynamic.ConfigureRequest) -> None:
        pass

    def _fake_outputs(self, props: dict[str, Any], first: str, second: str) -> dict[str, Any]:
        """Outputs shaped like the product's (inputs + the member's inventory), made up locally."""
        other = self.spec.other_uuid(first, second)
        return {**self._inputs_of(props), **_fake_inventory(self.bench), self.spec.membership: [other]}

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        first, second = (props[f] for f in self.spec.pair_fields)
        return pulumi.dynamic.CreateResult(
            self.spec.format_id(first, second), self._fake_outputs(props, first, second)
        )

    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        first, second = self.spec.parse_id(id_)
        inputs = self._inputs_of(props)
        return pulumi.dynamic.ReadResult(id_, self._fake_outputs(props, first, second), inputs=inputs)

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


class NaiveProvider(AttachmentProvider):
    """The product's operations through a new, fixed-interval client per operation (a mixin, as
    :class:`FloorProvider`)."""

    _settings: Settings | None = None
    _local: threading.local

    def configure(self, req: pulumi.dynamic.ConfigureRequest) -> None:
        self._settings = Settings.resolve(lambda key: req.config.get(f"{NAMESPACE}:{key}"))
        self._local = threading.local()

    @property
    def client(self) -> ZStackClient:
        client: ZStackClient = self._local.client
        return client

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


ROLES: dict[str, type[AttachmentProvider]] = {
    "floor": FloorProvider,
    "sleep": SleepProvider,
    "naive": NaiveProvider,
}
"""The reference variants of the benchmark and their mixins (``ours`` is the product itself)."""


def _reference_provider(role: type[AttachmentProvider], res: BenchResource) -> type[AttachmentProvider]:
    """``role`` mixed into ``res``'s product provider, as a name of this module (pickled by reference)."""
    name = f"{res.spec.type_name}{role.__name__}"
    namespace = {"__module__": __name__, "__qualname__": name, "__doc__": role.__doc__, "bench": res}
    cls = cast(type[AttachmentProvider], type(name, (role, res.provider), namespace))
    globals()[name] = cls
    return cls


PROVIDERS: dict[tuple[str, str], type[AttachmentProvider]] = {
    (key, variant): _reference_provider(role, res)
    for key, res in RESOURCES.items()
    for variant, role in ROLES.items()
}
"""``(resource key, variant)`` -> the reference provider class, for every resource and role."""


BenchResourceClass = Callable[[str, pulumi.dynamic.ResourceProvider, tuple[str, str]], AttachmentResource]


@functools.cache
def bench_resource(key: str) -> BenchResourceClass:
    """The product's resource class of ``key`` (same type token, properties and outputs), made to
    take the provider that runs it: ``cls(name, provider, pair)`` with the pair's two uuids."""
    res = RESOURCES[key]
    spec = res.spec

    def __init__(
        self: AttachmentResource,
        resource_name: str,
        provider: pulumi.dynamic.ResourceProvider,
        pair: tuple[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = dict.fromkeys(spec.py_to_wire)
        props.update(res.keywords(pair))
        pulumi.dynamic.Resource.__init__(self, provider, resource_name, props, opts)

    return cast(
        BenchResourceClass,
        types.new_class(
            f"Bench{spec.type_name}",
            (res.resource,),
            {"module": "zstack", "name": spec.type_name},
            lambda ns: ns.update(__init__=__init__, __module__=__name__),
        ),
    )
