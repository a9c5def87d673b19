"""pulumi-zstack: manage a ZStack private cloud from Pulumi programs.

Public API: the attachment resources :class:`BackupStorageZoneAttachment`,
:class:`PrimaryStorageClusterAttachment` and :class:`L2NetworkClusterAttachment` and their args
(one lifecycle for all three: :mod:`pulumi_zstack._attachment`), the lookups
:func:`get_zone`, :func:`get_backup_storage`, :func:`get_cluster`, :func:`get_primary_storage` and
:func:`get_l2_network`, the provider settings, and the errors, all under
:class:`PulumiZStackError` (see :mod:`pulumi_zstack.errors`). The ZStack REST
client lives in :mod:`pulumi_zstack.client` (no Pulumi imports) and the local API simulator in
:mod:`pulumi_zstack.simulator`.
"""

from pulumi_zstack._attachment import AttachmentError, DuplicateAttachmentError
from pulumi_zstack.backup_storage_zone_attachment import (
    BackupStorageZoneAttachment,
    BackupStorageZoneAttachmentArgs,
    BackupStorageZoneAttachmentProvider,
)
from pulumi_zstack.config import Settings, SettingsError
from pulumi_zstack.errors import PulumiZStackError
from pulumi_zstack.l2_network_cluster_attachment import (
    L2NetworkClusterAttachment,
    L2NetworkClusterAttachmentArgs,
    L2NetworkClusterAttachmentProvider,
)
from pulumi_zstack.lookups import (
    ZStackLookupError,
    get_backup_storage,
    get_cluster,
    get_l2_network,
    get_primary_storage,
    get_zone,
)
from pulumi_zstack.primary_storage_cluster_attachment import (
    PrimaryStorageClusterAttachment,
    PrimaryStorageClusterAttachmentArgs,
    PrimaryStorageClusterAttachmentProvider,
)

__all__ = [
    "AttachmentError",
    "BackupStorageZoneAttachment",
    "BackupStorageZoneAttachmentArgs",
    "BackupStorageZoneAttachmentProvider",
    "DuplicateAttachmentError",
    "L2NetworkClusterAttachment",
    "L2NetworkClusterAttachmentArgs",
    "L2NetworkClusterAttachmentProvider",
    "PrimaryStorageClusterAttachment",
    "PrimaryStorageClusterAttachmentArgs",
    "PrimaryStorageClusterAttachmentProvider",
    "PulumiZStackError",
    "Settings",
    "SettingsError",
    "ZStackLookupError",
    "get_backup_storage",
    "get_cluster",
    "get_l2_network",
    "get_primary_storage",
    "get_zone",
]
