"""``PrimaryStorageClusterAttachment``: attach a ZStack primary storage to a cluster.

The declaration of the attachment (:data:`SPEC`), its ``Args``, its provider and its resource;
the lifecycle is the attachment core's (:mod:`pulumi_zstack._attachment`). The id is
``<clusterUuid>:<primaryStorageUuid>`` (the order of the API path); the outputs are the primary storage's
inventory.

``PrimaryStorageClusterAttachmentProvider`` is pickled **by reference** into every resource's
``__provider``: its module path and class name must never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

import pulumi

from pulumi_zstack._attachment import AttachmentProvider, AttachmentResource, AttachmentSpec, End

__all__ = [
    "PrimaryStorageClusterAttachment",
    "PrimaryStorageClusterAttachmentArgs",
    "PrimaryStorageClusterAttachmentProvider",
]


SPEC = AttachmentSpec(
    type_name="PrimaryStorageClusterAttachment",
    ends=(
        End("clusterUuid", "cluster_uuid", "cluster", lambda client: client.clusters),
        End(
            "primaryStorageUuid",
            "primary_storage_uuid",
            "primary storage",
            lambda client: client.primary_storage,
        ),
    ),
    member=1,
    membership="attachedClusterUuids",
    model="PrimaryStorageInventory",
    operations=("AttachPrimaryStorageToCluster", "DetachPrimaryStorageFromCluster"),
    attach=lambda client: client.primary_storage.attach_to_cluster,
    detach=lambda client: client.primary_storage.detach_from_cluster,
    # PrimaryStorageApiInterceptor: SYS.1006 for an attached pair; detaching a pair that is not
    # attached is an argument error there, SYS.1007.
    refused={"attach": frozenset({"SYS.1006"}), "detach": frozenset({"SYS.1007"})},
)


@dataclass(frozen=True)
class PrimaryStorageClusterAttachmentArgs:
    """Arguments of :class:`PrimaryStorageClusterAttachment`."""

    cluster_uuid: pulumi.Input[str]
    """UUID of the cluster; changing it replaces the attachment."""
    primary_storage_uuid: pulumi.Input[str]
    """UUID of the primary storage; changing it replaces the attachment."""
    adopt: pulumi.Input[bool] | None = None
    """Manage the pair even if it is already attached (by someone else): the create takes it
    over (changing nothing in ZStack), and destroying the resource then detaches it (``retain_on_delete``
    keeps it). Without it, creating a resource for an attached pair fails."""


class PrimaryStorageClusterAttachmentProvider(AttachmentProvider):
    """Dynamic provider of :class:`PrimaryStorageClusterAttachment`."""

    spec = SPEC


class PrimaryStorageClusterAttachment(
    AttachmentResource, module="zstack", name="PrimaryStorageClusterAttachment"
):
    """Attaches a ZStack primary storage to a cluster (``AttachPrimaryStorageToCluster``).

    Creating it attaches the pair (an attachment made by someone else only with ``adopt``),
    deleting it detaches the pair, and refresh reads it back: when the pair is no longer
    attached, refresh removes it from the stack and the next ``pulumi up`` attaches it again.
    Outputs: the primary storage inventory (``name``, ``url``, ``type``, ``total_capacity``,
    ``available_capacity``, ``state``, ``status``, ``attached_cluster_uuids``, ...).
    """

    _attachment_provider = PrimaryStorageClusterAttachmentProvider

    @overload
    def __init__(
        self,
        resource_name: str,
        args: PrimaryStorageClusterAttachmentArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        args: None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        cluster_uuid: pulumi.Input[str] | None = None,
        primary_storage_uuid: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(
        self,
        resource_name: str,
        args: PrimaryStorageClusterAttachmentArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        cluster_uuid: pulumi.Input[str] | None = None,
        primary_storage_uuid: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None:
        """
        :param resource_name: The unique name of the resource in the stack.
        :param args: The arguments, as an alternative to the keyword arguments.
        :param opts: Options for the resource.
        :param cluster_uuid: UUID of the cluster; changing it replaces the attachment.
        :param primary_storage_uuid: UUID of the primary storage; changing it replaces the attachment.
        :param adopt: Take over the pair if it is already attached (else the create fails);
            destroying the resource then detaches it.
        """
        values = {"cluster_uuid": cluster_uuid, "primary_storage_uuid": primary_storage_uuid, "adopt": adopt}
        self._attach(resource_name, values, args, opts)
