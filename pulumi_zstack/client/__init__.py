"""ZStack REST client (no Pulumi imports).

The errors (plain Python) are imported at once; every other name is loaded on first use, so
``import pulumi_zstack.client`` costs next to nothing: ``requests`` and ``pydantic`` are
imported only when the client or a model is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    AccessKeyFailure,
    AuthenticationError,
    ConfigurationError,
    JobExpiredError,
    JobFailedError,
    JobTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    TransportError,
    TransportFailure,
    ZStackAPIError,
    ZStackError,
)

if TYPE_CHECKING:
    from ._retry import RetryPolicy
    from .backup_storage import BackupStorageClient
    from .client import ZStackClient
    from .clusters import ClustersClient
    from .jobs import PollPolicy
    from .l2_networks import L2NetworksClient
    from .models import (
        BackupStorageInventory,
        ClusterInventory,
        L2NetworkInventory,
        PrimaryStorageInventory,
        ZoneInventory,
    )
    from .primary_storage import PrimaryStorageClient
    from .zones import ZonesClient

_LOCATIONS = {
    "ZStackClient": ".client",
    "ZonesClient": ".zones",
    "BackupStorageClient": ".backup_storage",
    "ClustersClient": ".clusters",
    "PrimaryStorageClient": ".primary_storage",
    "L2NetworksClient": ".l2_networks",
    "RetryPolicy": "._retry",
    "PollPolicy": ".jobs",
    "ZoneInventory": ".models",
    "BackupStorageInventory": ".models",
    "ClusterInventory": ".models",
    "PrimaryStorageInventory": ".models",
    "L2NetworkInventory": ".models",
}

__all__ = [
    "AccessKeyFailure",
    "AuthenticationError",
    "BackupStorageClient",
    "BackupStorageInventory",
    "ClusterInventory",
    "ClustersClient",
    "ConfigurationError",
    "JobExpiredError",
    "JobFailedError",
    "JobTimeoutError",
    "L2NetworkInventory",
    "L2NetworksClient",
    "NotFoundError",
    "PermissionDeniedError",
    "PollPolicy",
    "PrimaryStorageClient",
    "PrimaryStorageInventory",
    "RetryPolicy",
    "TransportError",
    "TransportFailure",
    "ZStackAPIError",
    "ZStackClient",
    "ZStackError",
    "ZoneInventory",
    "ZonesClient",
]


def __getattr__(name: str) -> Any:
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
