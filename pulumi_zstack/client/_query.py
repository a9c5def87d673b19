"""The read side every API area shares: ``query``, ``count`` and ``get`` of one inventory type."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from ._http import Transport, path_segment
from .errors import NotFoundError
from .jobs import JobRunner

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
        payload = self._transport.request(
            "GET", self._collection, operation=self._query_operation, params=params
        )
        return self._inventories(payload)

    def count(self, conditions: Sequence[str] = ()) -> int:
        """How many inventories match ``conditions``."""
        params = [*_conditions(conditions), ("count", "true")]
        payload = self._transport.request(
            "GET", self._collection, operation=self._query_operation, params=params
        )
        return int(payload.get("total", 0))

    def get(self, uuid: str) -> InventoryT:
        """The inventory with ``uuid``; :class:`NotFoundError` if the server does not know it."""
        path = f"{self._collection}/{path_segment(uuid)}"
        found = self._inventories(self._transport.request("GET", path, operation=self._query_operation))
        if not found:
            raise NotFoundError(
                code="SYS.1003",
                description="A resource can not be found",
                details=f"{self._noun}[uuid:{uuid}] does not exist",
                status=200,
                operation=self._query_operation,
            )
        return found[0]

    def _inventories(self, payload: dict[str, Any]) -> list[InventoryT]:
        return [self._model.model_validate(item) for item in payload.get("inventories") or ()]

    def _inventory(self, payload: dict[str, Any]) -> InventoryT:
        """The ``inventory`` object of an async job's result."""
        return self._model.model_validate(payload.get("inventory") or {})


def _conditions(conditions: Sequence[str]) -> list[tuple[str, str]]:
    if isinstance(conditions, str):
        conditions = [conditions]
    return [("q", condition) for condition in conditions]
