"""The read side every API area shares: ``query``, ``count`` and ``get`` of one inventory type."""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from ._endpoint import path_segment
from ._transport import Transport
from .errors import NotFoundError
from .jobs import JobRunner, load_models_in_background

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["QueryClient"]

InventoryT = TypeVar("InventoryT", bound="BaseModel")


class QueryClient(Generic[InventoryT]):
    """Base of the per-area clients: reads of ``GET /v1/<collection>[/<uuid>]``.

    Subclasses set the collection path, the query operation name, the name of the inventory
    model and the noun used in messages, and add their async calls (run through
    :class:`JobRunner`). The model (and pydantic) is imported at the first decode, so an async
    call is submitted before that import, which can then happen while the job runs.
    """

    _collection: ClassVar[str]
    _query_operation: ClassVar[str]
    _noun: ClassVar[str]
    _model_name: ClassVar[str]

    @property
    def _model(self) -> type[InventoryT]:
        models = importlib.import_module(".models", __package__)
        return cast("type[InventoryT]", getattr(models, self._model_name))

    def __init__(self, transport: Transport, jobs: JobRunner) -> None:
        self._transport = transport
        self._jobs = jobs
        self._scan: SharedScan[InventoryT] = SharedScan(self._scan_all, version=jobs.writes.value)

    def query(
        self,
        conditions: Sequence[str] = (),
        *,
        limit: int | None = None,
        start: int | None = None,
        sort: str | None = None,
        fields: Sequence[str] | None = None,
    ) -> list[InventoryT]:
        """Inventories matching every condition (ANDed ZStack ``q`` strings such as ``"name=zone-1"``).

        :param limit: at most this many (the server's default is 1000).
        :param start: skip this many first.
        :param sort: ``"+field"`` or ``"-field"`` (a bare field name sorts ascending).
        :param fields: only these fields (``uuid`` and ``name`` are always added).
        """
        params = _conditions(conditions)
        if limit is not None:
            params.append(("limit", str(limit)))
        if start is not None:
            params.append(("start", str(start)))
        if sort:
            params.append(("sort", sort if sort[0] in "+-" else f"+{sort}"))
        if fields:
            params.append(("fields", ",".join(dict.fromkeys(["uuid", "name", *fields]))))
        return self._fetch(self._collection, params)

    def count(self, conditions: Sequence[str] = ()) -> int:
        """How many inventories match ``conditions``."""
        params = [*_conditions(conditions), ("count", "true")]
        payload = self._transport.request(
            "GET", self._collection, operation=self._query_operation, params=params
        )
        return int(payload.get("total", 0))

    def get(self, uuid: str) -> InventoryT:
        """The inventory with ``uuid``; :class:`NotFoundError` if the server does not know it."""
        found = self._fetch(f"{self._collection}/{path_segment(uuid)}")
        if not found:
            raise self._not_found(uuid)
        return found[0]

    def get_shared(self, uuid: str) -> InventoryT:
        """Like :meth:`get`, but served from one scan of the whole collection that concurrent and
        following calls share (see :class:`SharedScan`): N reads cost ``ceil(total / 1000)``
        requests instead of N. For reads that may be a few seconds old, such as a refresh;
        the client's own writes in this area start a new scan."""
        found = self._scan.get(uuid)
        if found is None:
            raise self._not_found(uuid)
        return found

    def _fetch(self, path: str, params: Sequence[tuple[str, str]] | None = None) -> list[InventoryT]:
        """The inventories a GET of ``path`` answers; the models load while the server answers."""
        load_models_in_background()
        return self._inventories(
            self._transport.request("GET", path, operation=self._query_operation, params=params)
        )

    def _run_job(self, method: str, path: str, *, operation: str, **kwargs: Any) -> dict[str, Any]:
        """Run an async call of this area. Every shared scan of the client is stale from its
        submit until after its end (a write may change inventories of other areas too)."""
        writes = self._jobs.writes
        writes.bump()
        try:
            return self._jobs.run(method, path, operation=operation, **kwargs)
        finally:
            writes.bump()

    def _scan_all(self) -> dict[str, InventoryT]:
        """Every inventory of the collection by uuid, in pages of :data:`SCAN_PAGE` sorted by uuid."""
        found: dict[str, InventoryT] = {}
        start = 0
        while True:
            page = self.query(limit=SCAN_PAGE, start=start, sort="+uuid")
            found.update((getattr(item, "uuid", ""), item) for item in page)
            if len(page) < SCAN_PAGE:
                return found
            start += SCAN_PAGE

    def _not_found(self, uuid: str) -> NotFoundError:
        """What ``get`` raises for a uuid the server does not know (a query answers an empty list)."""
        return NotFoundError(
            code="SYS.1003",
            description="A resource can not be found",
            details=f"{self._noun}[uuid:{uuid}] does not exist",
            status=200,
            operation=self._query_operation,
        )

    def _inventories(self, payload: dict[str, Any]) -> list[InventoryT]:
        return [self._model.model_validate(item) for item in payload.get("inventories") or ()]

    def _inventory(self, payload: dict[str, Any]) -> InventoryT:
        """The ``inventory`` object of an async job's result."""
        return self._model.model_validate(payload.get("inventory") or {})


def _conditions(conditions: Sequence[str]) -> list[tuple[str, str]]:
    if isinstance(conditions, str):
        conditions = [conditions]
    return [("q", condition) for condition in conditions]


SCAN_PAGE = 1000
"""Inventories per request of a shared scan (the server's default and usual maximum ``limit``)."""

T = TypeVar("T")


class SharedScan(Generic[T]):
    """One snapshot of a whole collection, fetched once and shared by many readers.

    The first :meth:`get` runs ``scan``; readers arriving while it runs wait for it and get
    its result (one scan, never one per reader); later readers use the snapshot while it is
    at most ``max_age`` seconds old and ``version()`` (the client's write counter) has not
    moved since the scan started. A failed scan is not kept: the reader that ran it and those
    that waited for it get its error, and the next reader scans again. Thread-safe.
    """

    def __init__(
        self,
        scan: Callable[[], dict[str, T]],
        *,
        version: Callable[[], int],
        max_age: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._scan = scan
        self._version = version
        self._max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot: _Flight[T] | None = None
        self._flight: _Flight[T] | None = None

    def get(self, key: str) -> T | None:
        """The item ``key`` of a current snapshot, ``None`` if the collection has no such item."""
        with self._lock:
            kept = self._snapshot
            if kept is not None and kept.fresh(self._clock(), self._version(), self._max_age):
                assert kept.items is not None
                return kept.items.get(key)
            flight = self._flight
            owner = flight is None
            if flight is None:
                flight = self._flight = _Flight(self._clock(), self._version())
        if owner:
            try:
                flight.items = self._scan()
            except BaseException as exc:
                flight.error = exc
            with self._lock:
                self._flight = None
                if flight.items is not None:
                    self._snapshot = flight
            flight.done.set()
        else:
            flight.done.wait()
        if flight.error is not None:
            raise flight.error
        assert flight.items is not None
        return flight.items.get(key)


class _Flight(Generic[T]):
    """One scan: when and at which write version it started, and its result once ``done``."""

    def __init__(self, started: float, version: int) -> None:
        self.started = started
        self.version = version
        self.done = threading.Event()
        self.items: dict[str, T] | None = None
        self.error: BaseException | None = None

    def fresh(self, now: float, version: int, max_age: float) -> bool:
        return version == self.version and now - self.started <= max_age
