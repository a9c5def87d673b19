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
    from ._http import RetryPolicy
    from .backup_storage import BackupStorageClient
    from .client import ZStackClient
    from .jobs import PollPolicy
    from .models import BackupStorageInventory, ZoneInventory
    from .zones import ZonesClient

_LOCATIONS = {
    "ZStackClient": ".client",
    "ZonesClient": ".zones",
    "BackupStorageClient": ".backup_storage",
    "RetryPolicy": "._http",
    "PollPolicy": ".jobs",
    "ZoneInventory": ".models",
    "BackupStorageInventory": ".models",
}

__all__ = [
    "AccessKeyFailure",
    "AuthenticationError",
    "BackupStorageClient",
    "BackupStorageInventory",
    "ConfigurationError",
    "JobExpiredError",
    "JobFailedError",
    "JobTimeoutError",
    "NotFoundError",
    "PermissionDeniedError",
    "PollPolicy",
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
