"""Zones: ``/v1/zones``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._endpoint import path_segment
from ._query import QueryClient

if TYPE_CHECKING:
    from .models import ZoneInventory

__all__ = ["ZonesClient"]


class ZonesClient(QueryClient["ZoneInventory"]):
    """``client.zones``: query, create and delete zones."""

    _collection = "/v1/zones"
    _query_operation = "QueryZone"
    _noun = "zone"
    _model_name = "ZoneInventory"

    def create(self, name: str, description: str | None = None) -> ZoneInventory:
        """Create a zone (``CreateZone``) and return it."""
        params = {"name": name, **({"description": description} if description is not None else {})}
        result = self._run_job("POST", self._collection, operation="CreateZone", json={"params": params})
        return self._inventory(result)

    def delete(self, uuid: str) -> None:
        """Delete a zone (``DeleteZone``); its backup-storage attachments go with it."""
        self._run_job("DELETE", f"{self._collection}/{path_segment(uuid)}", operation="DeleteZone")
