"""Program-side lookups, like the Terraform provider's data sources.

``get_zone`` and ``get_backup_storage`` query ZStack from the Pulumi program (also during
``pulumi preview``) and return typed inventories. They read the same settings as the provider:
``pulumi.Config("zstack")`` first, then the ``ZSTACK_*`` environment variables. One client is
shared by all lookups of a program (one per distinct configuration) and logs out when
the program exits.
"""

from __future__ import annotations

import atexit
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from pulumi_zstack.config import NAMESPACE, Settings
from pulumi_zstack.errors import PulumiZStackError

if TYPE_CHECKING:
    from pulumi_zstack.client import BackupStorageInventory, ZoneInventory, ZStackClient

_T = TypeVar("_T", "ZoneInventory", "BackupStorageInventory")


class ZStackLookupError(PulumiZStackError, ValueError):
    """A lookup matched no object or more than one."""


def _program_client() -> ZStackClient:
    import pulumi

    return _client_for(Settings.resolve(pulumi.Config(NAMESPACE).get))


@functools.cache
def _client_for(settings: Settings) -> ZStackClient:
    # Keyed by the settings: an Automation API process that runs several stacks, or changes
    # the config between runs, gets a client per distinct configuration.
    client = settings.new_client()
    atexit.register(client.close)
    return client


def _conditions(name: str | None, uuid: str | None, kind: str) -> list[str]:
    if name is None and uuid is None:
        raise ZStackLookupError(f"get_{kind}: pass name= or uuid=")
    conditions = []
    if uuid is not None:
        conditions.append(f"uuid={uuid}")
    if name is not None:
        conditions.append(f"name={name}")
    return conditions


def _single(query: Callable[..., list[_T]], name: str | None, uuid: str | None, kind: str) -> _T:
    found = query(_conditions(name, uuid, kind), limit=2)
    wanted = " and ".join(f"{k}={v!r}" for k, v in (("name", name), ("uuid", uuid)) if v is not None)
    if not found:
        raise ZStackLookupError(f"get_{kind}: no {kind.replace('_', ' ')} with {wanted} in ZStack")
    if len(found) > 1:
        raise ZStackLookupError(
            f"get_{kind}: more than one {kind.replace('_', ' ')} with {wanted} "
            f"({', '.join(item.uuid for item in found)}): look it up by uuid"
        )
    return found[0]


def get_zone(name: str | None = None, uuid: str | None = None) -> ZoneInventory:
    """Return the one zone with this name and/or uuid; raise :class:`ZStackLookupError` otherwise."""
    return _single(_program_client().zones.query, name, uuid, "zone")


def get_backup_storage(name: str | None = None, uuid: str | None = None) -> BackupStorageInventory:
    """Return the one backup storage with this name and/or uuid, else raise :class:`ZStackLookupError`."""
    return _single(_program_client().backup_storage.query, name, uuid, "backup_storage")
