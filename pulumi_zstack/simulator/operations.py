"""The async API operations: what a job checks and changes when it runs.

Each operation is split along the management node's order of checks, which the
job runner (:mod:`pulumi_zstack.simulator.jobs`) interleaves with its own:

1. :meth:`Operation.check`: arguments (``SYS.1007``) and referenced resources
   (``SYS.1003``); a delete of a missing resource succeeds here, as
   ``successIfResourceNotExisting`` does on the real server;
2. (runner) the caller's session (``ID.1001``);
3. :meth:`Operation.precondition`: business state, e.g. already attached (``SYS.1006``);
4. (runner) a failure injected by a ``job_error`` fault;
5. :meth:`Operation.apply`: the change, returning the job's result body.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from pulumi_zstack.simulator.inventory import BACKUP_STORAGE, ZONE
from pulumi_zstack.simulator.store import Store
from pulumi_zstack.simulator.wire import ApiError, invalid_argument, is_uuid, new_uuid

# Capacity reported by a backup storage added through the API (nothing is really probed).
ADDED_BACKUP_STORAGE_CAPACITY = 1 << 40


@dataclass(frozen=True)
class JobRequest:
    """What an accepted call carries to its job: path variables, params and tags."""

    path_vars: dict[str, str]
    params: dict[str, Any]
    system_tags: list[str] = field(default_factory=list)
    user_tags: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "pathVars": self.path_vars,
            "params": self.params,
            "systemTags": self.system_tags,
            "userTags": self.user_tags,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> JobRequest:
        return cls(doc["pathVars"], doc["params"], doc["systemTags"], doc["userTags"])


class Operation(ABC):
    """One async API; subclasses implement :meth:`apply` and override the checks they need."""

    #: API name as in the management node (``API<name>Msg``).
    name: str = ""

    @property
    def message(self) -> str:
        return f"API{self.name}Msg"

    def check(self, store: Store, req: JobRequest) -> dict[str, Any] | None:
        """Validate arguments and referenced resources; a returned body ends the job successfully."""
        return None

    def precondition(self, store: Store, req: JobRequest) -> None:  # noqa: B027 - optional step
        """Check the business state the change needs."""

    @abstractmethod
    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        """Make the change; the returned body is the job's result."""

    # -- helpers for subclasses --------------------------------------------------------------

    def _not_found(self, field_name: str, uuid: str, vo: str) -> ApiError:
        # The text of portal/.../PortApiValidator.java (untranslated in messages_zh_CN.properties).
        return ApiError(
            "SYS.1003", "invalid field[%s], resource[uuid:%s, type:%s] not found", args=(field_name, uuid, vo)
        )

    def _string_param(self, req: JobRequest, name: str, *, mandatory: bool) -> str | None:
        value = req.params.get(name)
        if value is None:
            if mandatory:
                raise invalid_argument(
                    f"field[{name}] of message[{self.message}] is mandatory, can not be null"
                )
            return None
        if not isinstance(value, str) or (mandatory and not value.strip()):
            raise invalid_argument(f"field[{name}] of message[{self.message}] must be a non-empty string")
        return value

    def _resource_uuid(self, req: JobRequest) -> str | None:
        value = req.params.get("resourceUuid")
        if value is not None and not is_uuid(value):
            raise invalid_argument(f"invalid resourceUuid[{value}], it must be a UUID with '-' stripped")
        return value


class CreateZone(Operation):
    name = "CreateZone"

    def check(self, store: Store, req: JobRequest) -> dict[str, Any] | None:
        self._string_param(req, "name", mandatory=True)
        self._string_param(req, "description", mandatory=False)
        resource_uuid = self._resource_uuid(req)
        if resource_uuid is not None and store.zone(resource_uuid) is not None:
            raise invalid_argument(f"resource[uuid:{resource_uuid}, type:ZoneVO] already exists")
        return None

    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        record = {
            "uuid": self._resource_uuid(req) or new_uuid(),
            "name": req.params["name"],
            "description": req.params.get("description"),
            "state": "Enabled",
            "type": "zstack",
            "isDefault": False,
            "createDate": now,
            "lastOpDate": now,
        }
        store.insert_zone(record)
        return {"inventory": ZONE.render(record)}


class DeleteZone(Operation):
    name = "DeleteZone"

    def check(self, store: Store, req: JobRequest) -> dict[str, Any] | None:
        return {} if store.zone(req.path_vars["uuid"]) is None else None

    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        store.delete_zone(req.path_vars["uuid"])
        return {}


class AddBackupStorage(Operation):
    """AddImageStoreBackupStorage / AddSftpBackupStorage: the same params, another type."""

    def __init__(self, name: str, bs_type: str) -> None:
        self.name = name
        self.bs_type = bs_type

    def check(self, store: Store, req: JobRequest) -> dict[str, Any] | None:
        for name in ("name", "url", "hostname", "username", "password"):
            self._string_param(req, name, mandatory=True)
        self._string_param(req, "description", mandatory=False)
        port = req.params.get("sshPort", 22)
        if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
            raise invalid_argument(f"field[sshPort] of message[{self.message}] must be in range [1, 65535]")
        resource_uuid = self._resource_uuid(req)
        if resource_uuid is not None and store.backup_storage(resource_uuid) is not None:
            raise invalid_argument(f"resource[uuid:{resource_uuid}, type:BackupStorageVO] already exists")
        return None

    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        uuid = self._resource_uuid(req) or new_uuid()
        store.insert_backup_storage(
            {
                "uuid": uuid,
                "name": req.params["name"],
                "url": req.params["url"],
                "description": req.params.get("description"),
                "totalCapacity": ADDED_BACKUP_STORAGE_CAPACITY,
                "availableCapacity": ADDED_BACKUP_STORAGE_CAPACITY,
                "type": self.bs_type,
                "state": "Enabled",
                "status": "Connected",
                "createDate": now,
                "lastOpDate": now,
                "hostname": req.params["hostname"],
                "username": req.params["username"],
                "sshPort": req.params.get("sshPort", 22),
            }
        )
        return {"inventory": _bs_inventory(store, uuid)}


class DeleteBackupStorage(Operation):
    name = "DeleteBackupStorage"

    def check(self, store: Store, req: JobRequest) -> dict[str, Any] | None:
        return {} if store.backup_storage(req.path_vars["uuid"]) is None else None

    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        store.delete_backup_storage(req.path_vars["uuid"])
        return {}


class _ZoneBackupStorageOperation(Operation):
    """Attach and detach: both address the pair ``/zones/{zoneUuid}/backup-storage/{backupStorageUuid}``."""

    def check(self, store: Store, req: JobRequest) -> dict[str, Any] | None:
        zone_uuid, bs_uuid = _pair(req)
        if store.zone(zone_uuid) is None:
            raise self._not_found("zoneUuid", zone_uuid, "ZoneVO")
        if store.backup_storage(bs_uuid) is None:
            raise self._not_found("backupStorageUuid", bs_uuid, "BackupStorageVO")
        return None


class AttachBackupStorageToZone(_ZoneBackupStorageOperation):
    name = "AttachBackupStorageToZone"

    def precondition(self, store: Store, req: JobRequest) -> None:
        zone_uuid, bs_uuid = _pair(req)
        if store.is_attached(zone_uuid, bs_uuid):
            raise ApiError(
                "SYS.1006",
                "backup storage[uuid:%s] has been attached to zone[uuid:%s]",
                args=(bs_uuid, zone_uuid),
            )

    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        zone_uuid, bs_uuid = _pair(req)
        store.attach(zone_uuid, bs_uuid, req.system_tags, req.user_tags, now)
        store.update_backup_storage(bs_uuid, {"lastOpDate": now})
        return {"inventory": _bs_inventory(store, bs_uuid)}


class DetachBackupStorageFromZone(_ZoneBackupStorageOperation):
    name = "DetachBackupStorageFromZone"

    def precondition(self, store: Store, req: JobRequest) -> None:
        zone_uuid, bs_uuid = _pair(req)
        if not store.is_attached(zone_uuid, bs_uuid):
            raise ApiError(
                "SYS.1006",
                "backup storage[uuid:%s] has not been attached to zone[uuid:%s]",
                args=(bs_uuid, zone_uuid),
            )

    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        zone_uuid, bs_uuid = _pair(req)
        store.detach(zone_uuid, bs_uuid)
        store.update_backup_storage(bs_uuid, {"lastOpDate": now})
        return {"inventory": _bs_inventory(store, bs_uuid)}


def _pair(req: JobRequest) -> tuple[str, str]:
    return req.path_vars["zoneUuid"], req.path_vars["backupStorageUuid"]


def _bs_inventory(store: Store, bs_uuid: str) -> dict[str, Any]:
    record = store.backup_storage(bs_uuid)
    assert record is not None
    return BACKUP_STORAGE.render(record)


OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        CreateZone(),
        DeleteZone(),
        AddBackupStorage("AddImageStoreBackupStorage", "ImageStoreBackupStorage"),
        AddBackupStorage("AddSftpBackupStorage", "SftpBackupStorage"),
        DeleteBackupStorage(),
        AttachBackupStorageToZone(),
        DetachBackupStorageFromZone(),
    )
}
