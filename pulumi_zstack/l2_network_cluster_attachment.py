"""``L2NetworkClusterAttachment``: attach a ZStack L2 network to a cluster.

The declaration of the attachment (:data:`SPEC`), its ``Args``, its provider and its resource;
the lifecycle is the attachment core's (:mod:`pulumi_zstack._attachment`). The id is
``<l2NetworkUuid>:<clusterUuid>`` (the order of the API path); the outputs are the L2 network's
inventory.

``L2NetworkClusterAttachmentProvider`` is pickled **by reference** into every resource's
``__provider``: its module path and class name must never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

import pulumi

from pulumi_zstack._attachment import AttachmentProvider, AttachmentResource, AttachmentSpec, End

__all__ = [
    "L2NetworkClusterAttachment",
    "L2NetworkClusterAttachmentArgs",
    "L2NetworkClusterAttachmentProvider",
]


SPEC = AttachmentSpec(
    type_name="L2NetworkClusterAttachment",
    ends=(
        End("l2NetworkUuid", "l2_network_uuid", "L2 network", lambda client: client.l2_networks),
        End("clusterUuid", "cluster_uuid", "cluster", lambda client: client.clusters),
    ),
    member=0,
    membership="attachedClusterUuids",
    model="L2NetworkInventory",
    operations=("AttachL2NetworkToCluster", "DetachL2NetworkFromCluster"),
    attach=lambda client: client.l2_networks.attach_to_cluster,
    detach=lambda client: client.l2_networks.detach_from_cluster,
    # L2NetworkApiInterceptor: SYS.1006 for an attached pair (attach) and a detached one (detach).
    # An interface (and VLAN) already used in the cluster is L2.1000, found when the job runs:
    # a refusal, not the pair's state.
    refused={"attach": frozenset({"SYS.1006"}), "detach": frozenset({"SYS.1006"})},
)


@dataclass(frozen=True)
class L2NetworkClusterAttachmentArgs:
    """Arguments of :class:`L2NetworkClusterAttachment`."""

    l2_network_uuid: pulumi.Input[str]
    """UUID of the L2 network; changing it replaces the attachment."""
    cluster_uuid: pulumi.Input[str]
    """UUID of the cluster; changing it replaces the attachment."""
    adopt: pulumi.Input[bool] | None = None
    """Manage the pair even if it is already attached (by someone else): the create takes it
    over (changing nothing in ZStack), and destroying the resource then detaches it (``retain_on_delete``
    keeps it). Without it, creating a resource for an attached pair fails."""


class L2NetworkClusterAttachmentProvider(AttachmentProvider):
    """Dynamic provider of :class:`L2NetworkClusterAttachment`."""

    spec = SPEC


class L2NetworkClusterAttachment(AttachmentResource, module="zstack", name="L2NetworkClusterAttachment"):
    """Attaches a ZStack L2 network to a cluster (``AttachL2NetworkToCluster``).

    Creating it attaches the pair (an attachment made by someone else only with ``adopt``),
    deleting it detaches the pair, and refresh reads it back: when the pair is no longer
    attached, refresh removes it from the stack and the next ``pulumi up`` attaches it again.
    Outputs: the L2 network inventory (``name``, ``physical_interface``, ``type``,
    ``vlan``, ``zone_uuid``, ``attached_cluster_uuids``, ...).
    """

    _attachment_provider = L2NetworkClusterAttachmentProvider

    @overload
    def __init__(
        self,
        resource_name: str,
        args: L2NetworkClusterAttachmentArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        args: None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        l2_network_uuid: pulumi.Input[str] | None = None,
        cluster_uuid: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(
        self,
        resource_name: str,
        args: L2NetworkClusterAttachmentArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        l2_network_uuid: pulumi.Input[str] | None = None,
        cluster_uuid: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None:
        """
        :param resource_name: The unique name of the resource in the stack.
        :param args: The arguments, as an alternative to the keyword arguments.
        :param opts: Options for the resource.
        :param l2_network_uuid: UUID of the L2 network; changing it replaces the attachment.
        :param cluster_uuid: UUID of the cluster; changing it replaces the attachment.
        :param adopt: Take over the pair if it is already attached (else the create fails);
            destroying the resource then detaches it.
        """
        values = {"l2_network_uuid": l2_network_uuid, "cluster_uuid": cluster_uuid, "adopt": adopt}
        self._attach(resource_name, values, args, opts)
