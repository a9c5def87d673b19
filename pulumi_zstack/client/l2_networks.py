"""L2 networks: ``/v1/l2-networks`` and their attachment to clusters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ._endpoint import path_segment
from ._query import QueryClient

if TYPE_CHECKING:
    from .models import L2NetworkInventory

__all__ = ["L2NetworksClient"]


class L2NetworksClient(QueryClient["L2NetworkInventory"]):
    """``client.l2_networks``: query, delete, attach to and detach from clusters."""

    _collection = "/v1/l2-networks"
    _query_operation = "QueryL2Network"
    _noun = "L2 network"
    _model_name = "L2NetworkInventory"

    def delete(self, uuid: str) -> None:
        """Delete an L2 network (``DeleteL2Network``); its cluster attachments go with it."""
        self._run_job("DELETE", f"{self._collection}/{path_segment(uuid)}", operation="DeleteL2Network")

    def attach_to_cluster(
        self, l2_network_uuid: str, cluster_uuid: str, *, job_uuids: Iterable[str] | None = None
    ) -> L2NetworkInventory:
        """Attach an L2 network to a cluster (``AttachL2NetworkToCluster``); return the network.

        Refusals of the management node: the pair attached already is ``SYS.1006``
        (``L2NetworkApiInterceptor``); a network on the same physical interface as one the cluster
        has, with another vSwitch type, is ``SYS.1007``; one on the same physical interface as an
        attached network of its type (``L2NoVlanNetwork``; ``L2VlanNetwork`` with the same VLAN) fails
        in the attach itself with ``L2.1000`` (``L2NoVlanNetwork.attachL2NetworkToCluster``). A
        missing network or cluster is ``SYS.1003`` (:class:`~pulumi_zstack.client.NotFoundError`).
        The API reads no body parameters (``parameterName = "null"`` in its ``@RestRequest``): the
        body is an empty object.
        """
        result = self._run_job(
            "POST",
            _attachment_path(l2_network_uuid, cluster_uuid),
            operation="AttachL2NetworkToCluster",
            job_uuids=job_uuids,
            json={},
        )
        return self._inventory(result)

    def detach_from_cluster(
        self, l2_network_uuid: str, cluster_uuid: str, *, job_uuids: Iterable[str] | None = None
    ) -> L2NetworkInventory:
        """Detach an L2 network from a cluster (``DetachL2NetworkFromCluster``); return the network.

        A pair that is not attached is ``SYS.1006``; read the network to tell this apart from other
        failures. A missing network or cluster is ``SYS.1003``.
        """
        result = self._run_job(
            "DELETE", _attachment_path(l2_network_uuid, cluster_uuid), operation="DetachL2NetworkFromCluster"
        )
        return self._inventory(result)


def _attachment_path(l2_network_uuid: str, cluster_uuid: str) -> str:
    return f"/v1/l2-networks/{path_segment(l2_network_uuid)}/clusters/{path_segment(cluster_uuid)}"
