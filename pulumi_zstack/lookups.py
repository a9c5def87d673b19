"""Program-side lookups, like the Terraform provider's data sources.

``get_zone``, ``get_backup_storage``, ``get_cluster``, ``get_primary_storage`` and ``get_l2_network``
query ZStack from the Pulumi program (also during
``pulumi preview``) and return typed inventories. They read the same settings as the provider:
``pulumi.Config("zstack")`` first, then the ``ZSTACK_*`` environment variables. Each lookup
logs in, queries and logs out at once: an Automation API process runs many programs and never
exits between them, so no session may outlive the lookup that opened it.

Every failure (no match, several matches, a settings error, a refused login, an unreachable
endpoint) raises :class:`ZStackLookupError`, a :class:`pulumi.RunError`: the CLI prints its
one line, naming the ``zstack:*`` setting to fix, without a Python traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import pulumi

from pulumi_zstack.client import ZStackError
from pulumi_zstack.config import NAMESPACE, Settings, SettingsError
from pulumi_zstack.errors import PulumiZStackError

if TYPE_CHECKING:
    from pulumi_zstack.client import (
        BackupStorageInventory,
        ClusterInventory,
        L2NetworkInventory,
        PrimaryStorageInventory,
        ZoneInventory,
        ZStackClient,
    )

_T = TypeVar(
    "_T",
    "ZoneInventory",
    "BackupStorageInventory",
    "ClusterInventory",
    "PrimaryStorageInventory",
    "L2NetworkInventory",
)


class ZStackLookupError(PulumiZStackError, pulumi.RunError, ValueError):
    """A lookup failed: no match, several matches, bad settings or a ZStack error (one line)."""


def _lookup(
    kind: str, query: Callable[[ZStackClient], Callable[..., list[_T]]], name: str | None, uuid: str | None
) -> _T:
    conditions = _conditions(name, uuid, kind)
    try:
        settings = Settings.resolve(pulumi.Config(NAMESPACE).get)
    except SettingsError as exc:
        raise ZStackLookupError(f"get_{kind}: {exc}") from None
    try:
        with settings.new_client() as client:
            found = query(client)(conditions, limit=2)
    except ZStackError as exc:
        from pulumi_zstack._attachment import _hint

        message = f"get_{kind}: {exc}"
        hint = _hint("lookup", exc)
        if hint:
            message = f"{message}; {hint}"
        for secret in (settings.account_password, settings.access_key_secret):
            if secret:
                message = message.replace(secret, "***")
        raise ZStackLookupError(message) from None
    return _single(found, name, uuid, kind)


def _conditions(name: str | None, uuid: str | None, kind: str) -> list[str]:
    if name is None and uuid is None:
        raise ZStackLookupError(f"get_{kind}: pass name= or uuid=")
    conditions = []
    if uuid is not None:
        conditions.append(f"uuid={uuid}")
    if name is not None:
        conditions.append(f"name={name}")
    return conditions


def _single(found: list[_T], name: str | None, uuid: str | None, kind: str) -> _T:
    wanted = " and ".join(f"{k}={v!r}" for k, v in (("name", name), ("uuid", uuid)) if v is not None)
    noun = kind.replace("_", " ").replace("l2", "L2")
    if not found:
        raise ZStackLookupError(f"get_{kind}: no {noun} with {wanted} in ZStack")
    if len(found) > 1:
        raise ZStackLookupError(
            f"get_{kind}: more than one {noun} with {wanted} "
            f"({', '.join(item.uuid for item in found)}): look it up by uuid"
        )
    return found[0]


def get_zone(name: str | None = None, uuid: str | None = None) -> ZoneInventory:
    """Return the one zone with this name and/or uuid; raise :class:`ZStackLookupError` otherwise."""
    return _lookup("zone", lambda client: client.zones.query, name, uuid)


def get_backup_storage(name: str | None = None, uuid: str | None = None) -> BackupStorageInventory:
    """Return the one backup storage with this name and/or uuid, else raise :class:`ZStackLookupError`."""
    return _lookup("backup_storage", lambda client: client.backup_storage.query, name, uuid)


def get_cluster(name: str | None = None, uuid: str | None = None) -> ClusterInventory:
    """Return the one cluster with this name and/or uuid; raise :class:`ZStackLookupError` otherwise."""
    return _lookup("cluster", lambda client: client.clusters.query, name, uuid)


def get_primary_storage(name: str | None = None, uuid: str | None = None) -> PrimaryStorageInventory:
    """Return the one primary storage with this name and/or uuid, else raise :class:`ZStackLookupError`."""
    return _lookup("primary_storage", lambda client: client.primary_storage.query, name, uuid)


def get_l2_network(name: str | None = None, uuid: str | None = None) -> L2NetworkInventory:
    """Return the one L2 network with this name and/or uuid; raise :class:`ZStackLookupError` otherwise."""
    return _lookup("l2_network", lambda client: client.l2_networks.query, name, uuid)
