"""``BackupStorageZoneAttachment``: attach a ZStack backup storage to a zone.

The declaration of the attachment (:data:`SPEC`), its ``Args``, its provider and its resource;
the lifecycle is the attachment core's (:mod:`pulumi_zstack._attachment`). The id is
``<zoneUuid>:<backupStorageUuid>``; the outputs are the backup storage's inventory.

``BackupStorageZoneAttachmentProvider`` is pickled **by reference** into every resource's
``__provider``: its module path and class name must never change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

import pulumi

from pulumi_zstack._attachment import (
    AttachmentError,
    AttachmentProvider,
    AttachmentResource,
    AttachmentSpec,
    DuplicateAttachmentError,
    End,
)

__all__ = [
    "SPEC",
    "AttachmentError",
    "BackupStorageZoneAttachment",
    "BackupStorageZoneAttachmentArgs",
    "BackupStorageZoneAttachmentProvider",
    "DuplicateAttachmentError",
]


SPEC = AttachmentSpec(
    type_name="BackupStorageZoneAttachment",
    ends=(
        End("zoneUuid", "zone_uuid", "zone", lambda client: client.zones),
        End(
            "backupStorageUuid", "backup_storage_uuid", "backup storage", lambda client: client.backup_storage
        ),
    ),
    member=1,
    membership="attachedZoneUuids",
    model="BackupStorageInventory",
    # The ImageStore / Sftp subtype fields are not outputs (hosts and users of the storage).
    omit=frozenset({"uuid", "hostname", "username", "sshPort"}),
    operations=("AttachBackupStorageToZone", "DetachBackupStorageFromZone"),
    attach=lambda client: client.backup_storage.attach_to_zone,
    detach=lambda client: client.backup_storage.detach_from_zone,
    # BackupStorageApiInterceptor: SYS.1006 for an attached pair (attach) and a detached one (detach).
    refused={"attach": frozenset({"SYS.1006"}), "detach": frozenset({"SYS.1006"})},
    tags=True,
)


@dataclass(frozen=True)
class BackupStorageZoneAttachmentArgs:
    """Arguments of :class:`BackupStorageZoneAttachment`."""

    zone_uuid: pulumi.Input[str]
    """UUID of the zone (32 lowercase hex characters). Changing it replaces the attachment."""
    backup_storage_uuid: pulumi.Input[str]
    """UUID of the backup storage to attach. Changing it replaces the attachment."""
    system_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """System tags sent with the attach call. ZStack neither validates nor stores them (only
    create calls' tags are); a change is an in-place update that touches nothing in ZStack."""
    user_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """User tags sent with the attach call; like ``system_tags``, a change is an in-place update."""
    adopt: pulumi.Input[bool] | None = None
    """Manage the pair even if it is already attached (by someone else): the create takes it
    over (changing nothing in ZStack), and destroying the resource then detaches it (``retain_on_delete``
    keeps it). Without it, creating a resource for an attached pair fails."""


class BackupStorageZoneAttachmentProvider(AttachmentProvider):
    """Dynamic provider of :class:`BackupStorageZoneAttachment`."""

    spec = SPEC


class BackupStorageZoneAttachment(AttachmentResource, module="zstack", name="BackupStorageZoneAttachment"):
    """Attaches a ZStack backup storage to a zone (``AttachBackupStorageToZone``).

    Creating it attaches the pair (an attachment made by someone else only with ``adopt``),
    deleting it detaches the pair, and refresh reads it back: when the pair is no longer
    attached, refresh removes it from the stack and the next ``pulumi up`` attaches it again.
    Outputs: the backup storage inventory (``name``, ``url``, ``total_capacity``,
    ``available_capacity``, ``type``, ``state``, ``status``, ``attached_zone_uuids``, ...).
    """

    _attachment_provider = BackupStorageZoneAttachmentProvider

    @overload
    def __init__(
        self,
        resource_name: str,
        args: BackupStorageZoneAttachmentArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        args: None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        zone_uuid: pulumi.Input[str] | None = None,
        backup_storage_uuid: pulumi.Input[str] | None = None,
        system_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        user_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(
        self,
        resource_name: str,
        args: BackupStorageZoneAttachmentArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        zone_uuid: pulumi.Input[str] | None = None,
        backup_storage_uuid: pulumi.Input[str] | None = None,
        system_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        user_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None:
        """
        :param resource_name: The unique name of the resource in the stack.
        :param args: The arguments, as an alternative to the keyword arguments.
        :param opts: Options for the resource.
        :param zone_uuid: UUID of the zone; changing it replaces the attachment.
        :param backup_storage_uuid: UUID of the backup storage; changing it replaces the attachment.
        :param system_tags: System tags for the attach call (ZStack ignores them); a change is an
            in-place update. Use ``replace_on_changes=["systemTags"]`` to re-attach instead.
        :param user_tags: User tags for the attach call (ignored likewise); a change is an update.
        :param adopt: Take over the pair if it is already attached (else the create fails);
            destroying the resource then detaches it.
        """
        values = {
            "zone_uuid": zone_uuid,
            "backup_storage_uuid": backup_storage_uuid,
            "system_tags": system_tags,
            "user_tags": user_tags,
            "adopt": adopt,
        }
        self._attach(resource_name, values, args, opts)
