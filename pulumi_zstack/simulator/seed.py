"""The simulator's initial state: the seed file format and the default seed.

A seed is a JSON document (see ``examples/seed.json`` and ``docs/simulator.md``)::

    {"description"?: "free text",
     "accounts": [{"name", "password", "uuid"?}],
     "accessKeys": [{"id", "secret", "accountName"}],
     "zones": [{"uuid"?, "name", "description"?, "state"?, "type"?, "isDefault"?}],
     "backupStorages": [{"uuid"?, "name", "url", "type", "totalCapacity"?, "availableCapacity"?,
                         "state"?, "status"?, "description"?, "hostname"?, "username"?, "sshPort"?,
                         "attachedZoneUuids"?: [...]}]}

Passwords are given in plain text; the simulator keeps their SHA-512 hex, which is
what clients send at login. The default seed (``default_seed.json``, used without
``--seed``) is described by the constants below, which tests and examples import.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pulumi_zstack.simulator.wire import new_uuid

ADMIN_ACCOUNT = "admin"
ADMIN_PASSWORD = "password"  # noqa: S105 - the well-known factory password of a ZStack install
ACCESS_KEY_ID = "simAccessKeyId0000001"
ACCESS_KEY_SECRET = "simAccessKeySecret000000000000000000000"  # noqa: S105 - simulator-only secret
ZONE_1_UUID = "6b1a3c7e2d4f4a1b9c8d7e6f5a4b3c21"
ZONE_2_UUID = "8e2f4b6a1c3d4e5f8a7b6c5d4e3f2a10"
IMAGESTORE_1_UUID = "3f9d2c1b0a8e4f7d9c6b5a4e3d2c1b0a"
SFTP_1_UUID = "c4d5e6f708194a2b8c3d4e5f60718293"

_UUID_PATTERN = r"^[0-9a-f]{32}$"


class SeedError(ValueError):
    """The seed file cannot be read or does not describe a consistent state."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SeedAccount(_Model):
    name: str
    password: str
    uuid: str = Field(default_factory=new_uuid, pattern=_UUID_PATTERN)

    @property
    def password_sha512(self) -> str:
        return hashlib.sha512(self.password.encode()).hexdigest()


class SeedAccessKey(_Model):
    id: str
    secret: str
    account_name: str = Field(alias="accountName")


class SeedZone(_Model):
    uuid: str = Field(default_factory=new_uuid, pattern=_UUID_PATTERN)
    name: str
    description: str | None = None
    state: Literal["Enabled", "Disabled"] = "Enabled"
    type: str = "zstack"
    is_default: bool = Field(default=False, alias="isDefault")


class SeedBackupStorage(_Model):
    uuid: str = Field(default_factory=new_uuid, pattern=_UUID_PATTERN)
    name: str
    url: str
    type: str
    description: str | None = None
    total_capacity: int = Field(default=0, ge=0, alias="totalCapacity")
    available_capacity: int = Field(default=0, ge=0, alias="availableCapacity")
    state: Literal["Enabled", "Disabled"] = "Enabled"
    status: Literal["Connecting", "Connected", "Disconnected"] = "Connected"
    hostname: str | None = None
    username: str | None = None
    ssh_port: int | None = Field(default=None, alias="sshPort")
    attached_zone_uuids: list[str] = Field(default_factory=list, alias="attachedZoneUuids")


class Seed(_Model):
    """A validated seed document."""

    description: str | None = None  # free text for the reader of the file
    accounts: list[SeedAccount] = Field(default_factory=list)
    access_keys: list[SeedAccessKey] = Field(default_factory=list, alias="accessKeys")
    zones: list[SeedZone] = Field(default_factory=list)
    backup_storages: list[SeedBackupStorage] = Field(default_factory=list, alias="backupStorages")

    @model_validator(mode="after")
    def _check_references(self) -> Seed:
        account_names = [a.name for a in self.accounts]
        _require_unique("account name", account_names)
        _require_unique("access key id", [k.id for k in self.access_keys])
        zone_uuids = [z.uuid for z in self.zones]
        _require_unique("zone uuid", zone_uuids)
        _require_unique("backup storage uuid", [b.uuid for b in self.backup_storages])
        for key in self.access_keys:
            if key.account_name not in account_names:
                raise ValueError(f"access key {key.id!r} names unknown account {key.account_name!r}")
        for bs in self.backup_storages:
            _require_unique(f"attachedZoneUuids of backup storage {bs.uuid}", bs.attached_zone_uuids)
            for zone_uuid in bs.attached_zone_uuids:
                if zone_uuid not in zone_uuids:
                    raise ValueError(f"backup storage {bs.uuid} is attached to unknown zone {zone_uuid}")
        return self

    def account_uuid(self, name: str) -> str:
        return next(a.uuid for a in self.accounts if a.name == name)

    def zone_records(self) -> list[dict[str, Any]]:
        """Zones as store records (wire names, no dates)."""
        return [z.model_dump(by_alias=True) for z in self.zones]

    def backup_storage_records(self) -> list[dict[str, Any]]:
        """Backup storages as store records (wire names, no dates, no attachments)."""
        return [b.model_dump(by_alias=True, exclude={"attached_zone_uuids"}) for b in self.backup_storages]


def _require_unique(what: str, values: list[str]) -> None:
    duplicates = sorted({v for v in values if values.count(v) > 1})
    if duplicates:
        raise ValueError(f"duplicate {what}: {', '.join(duplicates)}")


def parse_seed(document: object) -> Seed:
    """Validate a decoded seed document."""
    try:
        return Seed.model_validate(document)
    except ValidationError as exc:
        raise SeedError(f"invalid seed: {exc}") from exc


def load_seed(path: str | Path | None = None) -> Seed:
    """Read the seed file at ``path``, or the packaged default seed."""
    try:
        if path is None:
            text = resources.files("pulumi_zstack.simulator").joinpath("default_seed.json").read_text()
        else:
            text = Path(path).read_text()
        document = json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise SeedError(f"cannot read seed {path or 'default_seed.json'}: {exc}") from exc
    return parse_seed(document)
