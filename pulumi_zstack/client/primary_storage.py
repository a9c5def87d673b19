"""Primary storage: ``/v1/primary-storage`` and its attachment to clusters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ._endpoint import path_segment
from ._query import QueryClient

if TYPE_CHECKING:
    from .models import PrimaryStorageInventory

__all__ = ["PrimaryStorageClient"]


class PrimaryStorageClient(QueryClient["PrimaryStorageInventory"]):
    """``client.primary_storage``: query, delete, attach to and detach from clusters."""

    _collection = "/v1/primary-storage"
    _query_operation = "QueryPrimaryStorage"
    _noun = "primary storage"
    _model_name = "PrimaryStorageInventory"

    def get(self, uuid: str) -> PrimaryStorageInventory:
        """The primary storage with ``uuid``; :class:`NotFoundError` if the server does not know it.

        Unlike other areas this is a query with ``q=uuid=<uuid>``: ``QueryPrimaryStorage`` declares
        no ``/primary-storage/{uuid}`` path (``APIQueryPrimaryStorageMsg``), and the management node
        routes a ``GET`` there to the only API with that path, ``DeletePrimaryStorage``
        (``RestServer`` does not check the method of a path that one API owns).
        """
        found = self.query([f"uuid={uuid}"])
        if not found:
            raise self._not_found(uuid)
        return found[0]

    def delete(self, uuid: str) -> None:
        """Delete a primary storage (``DeletePrimaryStorage``); its cluster attachments go with it."""
        self._run_job("DELETE", f"{self._collection}/{path_segment(uuid)}", operation="DeletePrimaryStorage")

    def attach_to_cluster(
        self, cluster_uuid: str, primary_storage_uuid: str, *, job_uuids: Iterable[str] | None = None
    ) -> PrimaryStorageInventory:
        """Attach a primary storage to a cluster (``AttachPrimaryStorageToCluster``); return the storage.

        Refusals of the management node (``PrimaryStorageApiInterceptor``): the pair attached already
        is ``SYS.1006``; a cluster of another zone, or a cluster that has another primary storage with
        the same ``url``, is ``SYS.1007``; a cluster or primary storage that does not exist is
        ``SYS.1003`` (:class:`~pulumi_zstack.client.NotFoundError`). ``SYS.1006`` also stands for
        other failures: read the primary storage (``attached_cluster_uuids``) to tell them apart.
        """
        result = self._run_job(
            "POST",
            _attachment_path(cluster_uuid, primary_storage_uuid),
            operation="AttachPrimaryStorageToCluster",
            job_uuids=job_uuids,
            json={"params": {}},
        )
        return self._inventory(result)

    def detach_from_cluster(
        self, cluster_uuid: str, primary_storage_uuid: str, *, job_uuids: Iterable[str] | None = None
    ) -> PrimaryStorageInventory:
        """Detach a primary storage from a cluster (``DetachPrimaryStorageFromCluster``); return the storage.

        A pair that is not attached is ``SYS.1007`` (an argument error on this API, unlike backup
        storage and L2 networks); a missing cluster or primary storage is ``SYS.1003``.
        """
        result = self._run_job(
            "DELETE",
            _attachment_path(cluster_uuid, primary_storage_uuid),
            operation="DetachPrimaryStorageFromCluster",
            job_uuids=job_uuids,
        )
        return self._inventory(result)


def _attachment_path(cluster_uuid: str, primary_storage_uuid: str) -> str:
    return f"/v1/clusters/{path_segment(cluster_uuid)}/primary-storage/{path_segment(primary_storage_uuid)}"
