"""Clusters: ``/v1/clusters``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._endpoint import path_segment
from ._query import QueryClient

if TYPE_CHECKING:
    from .models import ClusterInventory

__all__ = ["ClustersClient"]


class ClustersClient(QueryClient["ClusterInventory"]):
    """``client.clusters``: query, create and delete clusters."""

    _collection = "/v1/clusters"
    _query_operation = "QueryCluster"
    _noun = "cluster"
    _model_name = "ClusterInventory"

    def create(
        self,
        zone_uuid: str,
        name: str,
        *,
        hypervisor_type: str = "KVM",
        description: str | None = None,
    ) -> ClusterInventory:
        """Create a cluster in a zone (``CreateCluster``) and return it."""
        params: dict[str, Any] = {"zoneUuid": zone_uuid, "name": name, "hypervisorType": hypervisor_type}
        if description is not None:
            params["description"] = description
        result = self._run_job("POST", self._collection, operation="CreateCluster", json={"params": params})
        return self._inventory(result)

    def delete(self, uuid: str) -> None:
        """Delete a cluster (``DeleteCluster``); its primary-storage and L2-network attachments go with it."""
        self._run_job("DELETE", f"{self._collection}/{path_segment(uuid)}", operation="DeleteCluster")
