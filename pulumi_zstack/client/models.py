"""Inventories returned by the ZStack API, as pydantic models.

Attributes are snake_case; the wire names (camelCase) are their aliases, so
``ZoneInventory.model_validate(wire_json)`` parses a server answer and
``inv.model_dump(by_alias=True)`` gives the wire shape back (null fields are left out,
as the server does). Fields a subtype adds and this module does not name are kept
(``extra="allow"``). Dates stay the server's Gson strings (``"Jun 7, 2017 9:20:19 PM"``,
the management node's local time); ``create_date_parsed()`` / ``last_op_date_parsed()``
turn them into naive :class:`~datetime.datetime` objects.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer
from pydantic.alias_generators import to_camel

__all__ = [
    "BackupStorageInventory",
    "ClusterInventory",
    "L2NetworkInventory",
    "PrimaryStorageInventory",
    "ZoneInventory",
    "parse_zstack_date",
]

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_GSON_DATE = re.compile(
    r"(?P<mon>[A-Za-z]{3})[a-z]*\.? (?P<day>\d{1,2}), (?P<year>\d{4}),? "
    r"(?P<hour>\d{1,2}):(?P<min>\d{2}):(?P<sec>\d{2}) (?P<half>[AaPp])\.?[Mm]\.?"
)


def parse_zstack_date(value: str | None) -> datetime | None:
    """Parse a ZStack date (Gson ``Jun 7, 2017 9:20:19 PM``, or ISO 8601) without using the locale.

    Returns ``None`` for ``None`` or a string in neither format.
    """
    if not value:
        return None
    text = " ".join(value.replace("\u202f", " ").replace("\xa0", " ").split())
    match = _GSON_DATE.fullmatch(text)
    if match is None:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None
    month = _MONTHS.get(match["mon"].lower())
    if month is None:
        return None
    hour = int(match["hour"]) % 12 + (12 if match["half"].lower() == "p" else 0)
    try:
        return datetime(
            int(match["year"]), month, int(match["day"]), hour, int(match["min"]), int(match["sec"])
        )
    except ValueError:
        return None


class _Inventory(BaseModel):
    """Common configuration and fields of every inventory."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    uuid: str
    name: str
    description: str | None = None
    create_date: str | None = None
    last_op_date: str | None = None

    @model_serializer(mode="wrap")
    def _omit_nulls(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {key: value for key, value in data.items() if value is not None}

    def create_date_parsed(self) -> datetime | None:
        """``create_date`` as a naive datetime in the server's local time (``None`` if absent)."""
        return parse_zstack_date(self.create_date)

    def last_op_date_parsed(self) -> datetime | None:
        """``last_op_date`` as a naive datetime in the server's local time (``None`` if absent)."""
        return parse_zstack_date(self.last_op_date)


class ZoneInventory(_Inventory):
    """A zone (``ZoneInventory``)."""

    state: str | None = None
    """``Enabled`` or ``Disabled``."""
    type: str | None = None
    """``zstack``."""
    is_default: bool | None = None


class BackupStorageInventory(_Inventory):
    """A backup storage of any type; ImageStore/Sftp fields are typed, others kept as extras."""

    url: str | None = None
    type: str | None = None
    """``ImageStoreBackupStorage``, ``SftpBackupStorage``, ``Ceph`` ..."""
    state: str | None = None
    """``Enabled`` or ``Disabled``."""
    status: str | None = None
    """``Connecting``, ``Connected`` or ``Disconnected``."""
    total_capacity: int | None = None
    available_capacity: int | None = None
    attached_zone_uuids: list[str] = Field(default_factory=list)
    hostname: str | None = None
    username: str | None = None
    ssh_port: int | None = None


class ClusterInventory(_Inventory):
    """A cluster (``ClusterInventory``, ``header/.../cluster/ClusterInventory.java``)."""

    state: str | None = None
    """``Enabled`` or ``Disabled``."""
    hypervisor_type: str | None = None
    """Hypervisor of the cluster's hosts: ``KVM``, ``Simulator``, ``baremetal``, ..."""
    zone_uuid: str | None = None
    """The zone the cluster belongs to."""
    type: str | None = None
    """``zstack``, ``baremetal`` or ``baremetal2``."""
    architecture: str | None = None
    """CPU architecture of the hosts: ``x86_64``, ``aarch64``, ..."""


class PrimaryStorageInventory(_Inventory):
    """A primary storage of any type (``PrimaryStorageInventory``,
    ``header/.../storage/primary/PrimaryStorageInventory.java``); subtype fields are kept as extras."""

    zone_uuid: str | None = None
    """The zone the primary storage is in; it attaches only to clusters of that zone."""
    url: str | None = None
    """Where the storage is: ``server:/share`` for NFS, a local path for ``LocalStorage``."""
    total_capacity: int | None = None
    """Bytes."""
    available_capacity: int | None = None
    """Bytes not allocated to volumes."""
    total_physical_capacity: int | None = None
    """Bytes of the underlying storage."""
    available_physical_capacity: int | None = None
    """Bytes free on the underlying storage."""
    system_used_capacity: int | None = None
    """Bytes used by other than ZStack volumes."""
    type: str | None = None
    """``NFS``, ``LocalStorage``, ``SharedMountPoint``, ``Ceph`` ..."""
    state: str | None = None
    """``Enabled``, ``Disabled``, ``PreMaintenance`` or ``Maintenance``."""
    status: str | None = None
    """``Connecting``, ``Connected`` or ``Disconnected``."""
    mount_path: str | None = None
    """Where the hosts mount the storage (type dependent)."""
    attached_cluster_uuids: list[str] = Field(default_factory=list)
    """Every cluster the primary storage is attached to, in no particular order."""


class L2NetworkInventory(_Inventory):
    """An L2 network (``L2NetworkInventory``; ``L2VlanNetworkInventory`` adds ``vlan``,
    ``header/.../network/l2/``)."""

    zone_uuid: str | None = None
    """The zone the L2 network belongs to."""
    physical_interface: str | None = None
    """The hosts' network device, e.g. ``eth0``."""
    type: str | None = None
    """``L2NoVlanNetwork``, ``L2VlanNetwork``, ``VxlanNetwork`` ..."""
    v_switch_type: str | None = None
    """Virtual switch: ``LinuxBridge`` (default), ``OvsDpdk``, ... (wire name ``vSwitchType``)."""
    virtual_network_id: int | None = None
    """The VLAN id (or VNI) the network uses; 0 without a VLAN."""
    vlan: int | None = None
    """VLAN id, for ``L2VlanNetwork`` only."""
    isolated: bool | None = None
    """Whether the network is a private (isolated) VLAN."""
    pvlan: str | None = None
    """Private VLAN id, when isolated."""
    attached_cluster_uuids: list[str] = Field(default_factory=list)
    """Every cluster the L2 network is attached to, in no particular order."""
