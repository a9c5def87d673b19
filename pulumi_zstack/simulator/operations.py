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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pulumi_zstack.simulator.inventory import BACKUP_STORAGE, CLUSTER, L2_NETWORK, PRIMARY_STORAGE, ZONE
from pulumi_zstack.simulator.store import L2_NETWORK_KIND, PRIMARY_STORAGE_KIND, Store
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
        # Only a BackupStorageZoneRefVO is persisted (BackupStorageBase.handle(APIAttach...)): the
        # backup storage row, and so its lastOpDate, is untouched. The message's tags are neither
        # validated nor stored: the tag manager acts on create messages only (see docs/simulator.md).
        zone_uuid, bs_uuid = _pair(req)
        store.attach(zone_uuid, bs_uuid, now)
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
        # Deletes the ref rows only (BackupStorageBase.handle(APIDetach...)): lastOpDate is untouched.
        zone_uuid, bs_uuid = _pair(req)
        store.detach(zone_uuid, bs_uuid)
        return {"inventory": _bs_inventory(store, bs_uuid)}


def _pair(req: JobRequest) -> tuple[str, str]:
    return req.path_vars["zoneUuid"], req.path_vars["backupStorageUuid"]


def _bs_inventory(store: Store, bs_uuid: str) -> dict[str, Any]:
    record = store.backup_storage(bs_uuid)
    assert record is not None
    return BACKUP_STORAGE.render(record)


# -- clusters ------------------------------------------------------------------------------------

# APICreateClusterMsg's @APIParam validValues (header/.../cluster/APICreateClusterMsg.java).
HYPERVISOR_TYPES = ("KVM", "Simulator", "baremetal", "baremetal2", "xdragon")


class CreateCluster(Operation):
    name = "CreateCluster"

    def check(self, store: Store, req: JobRequest) -> dict[str, Any] | None:
        zone_uuid = self._string_param(req, "zoneUuid", mandatory=True)
        self._string_param(req, "name", mandatory=True)
        self._string_param(req, "description", mandatory=False)
        hypervisor = self._string_param(req, "hypervisorType", mandatory=True)
        if hypervisor not in HYPERVISOR_TYPES:
            # header/.../message/APIMessage.java validateValue (Arrays.toString of the values).
            raise invalid_argument(
                "valid value for field[hypervisorType] of"
                " message[org.zstack.header.cluster.APICreateClusterMsg]"
                f" are [{', '.join(HYPERVISOR_TYPES)}], but {hypervisor} found"
            )
        resource_uuid = self._resource_uuid(req)
        if resource_uuid is not None and store.cluster(resource_uuid) is not None:
            raise invalid_argument(f"resource[uuid:{resource_uuid}, type:ClusterVO] already exists")
        assert zone_uuid is not None
        if store.zone(zone_uuid) is None:
            raise self._not_found("zoneUuid", zone_uuid, "ZoneVO")
        return None

    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        record = {
            "uuid": self._resource_uuid(req) or new_uuid(),
            "name": req.params["name"],
            "description": req.params.get("description"),
            "state": "Enabled",
            "hypervisorType": req.params["hypervisorType"],
            "zoneUuid": req.params["zoneUuid"],
            "type": "zstack",
            "architecture": "x86_64",
            "createDate": now,
            "lastOpDate": now,
        }
        store.insert_cluster(record)
        return {"inventory": CLUSTER.render(record)}


class DeleteResource(Operation):
    """DeleteCluster / DeletePrimaryStorage / DeleteL2Network: ``{}``, also for a missing uuid
    (``successIfResourceNotExisting`` in the three interceptors); the attachments go too."""

    def __init__(
        self, name: str, exists: Callable[[Store, str], object], delete: Callable[[Store, str], None]
    ):
        self.name = name
        self._exists = exists
        self._delete = delete

    def check(self, store: Store, req: JobRequest) -> dict[str, Any] | None:
        return {} if self._exists(store, req.path_vars["uuid"]) is None else None

    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        self._delete(store, req.path_vars["uuid"])
        return {}


# -- primary storage to cluster --------------------------------------------------------------------


class _ClusterPrimaryStorageOperation(Operation):
    """Both address ``/clusters/{clusterUuid}/primary-storage/{primaryStorageUuid}``."""

    #: The order the message declares its @APIParam fields in, which the node checks them in.
    fields: tuple[str, str] = ("clusterUuid", "primaryStorageUuid")

    def check(self, store: Store, req: JobRequest) -> dict[str, Any] | None:
        for name in self.fields:
            uuid = req.path_vars[name]
            if name == "clusterUuid" and store.cluster(uuid) is None:
                raise self._not_found(name, uuid, "ClusterVO")
            if name == "primaryStorageUuid" and store.primary_storage(uuid) is None:
                raise self._not_found(name, uuid, "PrimaryStorageVO")
        return None

    def _result(self, store: Store, ps_uuid: str) -> dict[str, Any]:
        record = store.primary_storage(ps_uuid)
        assert record is not None
        return {"inventory": PRIMARY_STORAGE.render(record)}


class AttachPrimaryStorageToCluster(_ClusterPrimaryStorageOperation):
    """storage/.../primary/PrimaryStorageApiInterceptor.java, validate(APIAttachPrimaryStorageToClusterMsg):
    attached already (SYS.1006), then not in the same zone (SYS.1007), then the url taken in the
    cluster (SYS.1007)."""

    name = "AttachPrimaryStorageToCluster"

    def precondition(self, store: Store, req: JobRequest) -> None:
        cluster_uuid, ps_uuid = req.path_vars["clusterUuid"], req.path_vars["primaryStorageUuid"]
        if store.is_attached_to_cluster(PRIMARY_STORAGE_KIND, ps_uuid, cluster_uuid):
            raise ApiError(
                "SYS.1006",
                "primary storage[uuid:%s] has been attached to cluster[uuid:%s]",
                args=(ps_uuid, cluster_uuid),
            )
        cluster, ps = store.cluster(cluster_uuid), store.primary_storage(ps_uuid)
        assert cluster is not None and ps is not None
        if cluster["zoneUuid"] != ps["zoneUuid"]:
            raise ApiError(
                "SYS.1007",
                "primary storage[uuid:%s] and cluster[uuid:%s] are not in the same zone",
                args=(ps_uuid, cluster_uuid),
            )
        # "select count(ps) from PrimaryStorageVO ps where ps.uuid in (select ref.primaryStorageUuid
        # from PrimaryStorageClusterRefVO ref where ref.clusterUuid = :clusterUuid) and ps.url = :url"
        if (
            store.first_of_kind(PRIMARY_STORAGE_KIND, {"url": ps["url"]}, attached_to=cluster_uuid)
            is not None
        ):
            raise ApiError(
                "SYS.1007",
                "url[%s] has been occupied, it cannot be duplicate in same cluster",
                args=(ps["url"],),
            )

    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        cluster_uuid, ps_uuid = req.path_vars["clusterUuid"], req.path_vars["primaryStorageUuid"]
        # Two attaches of one pair submitted together both pass the interceptor; one row is kept.
        if not store.is_attached_to_cluster(PRIMARY_STORAGE_KIND, ps_uuid, cluster_uuid):
            store.attach_to_cluster(PRIMARY_STORAGE_KIND, ps_uuid, cluster_uuid, now)
        return self._result(store, ps_uuid)


class DetachPrimaryStorageFromCluster(_ClusterPrimaryStorageOperation):
    """validate(APIDetachPrimaryStorageFromClusterMsg): a pair not attached is an argument error."""

    name = "DetachPrimaryStorageFromCluster"
    fields = ("primaryStorageUuid", "clusterUuid")

    def precondition(self, store: Store, req: JobRequest) -> None:
        cluster_uuid, ps_uuid = req.path_vars["clusterUuid"], req.path_vars["primaryStorageUuid"]
        if not store.is_attached_to_cluster(PRIMARY_STORAGE_KIND, ps_uuid, cluster_uuid):
            raise ApiError(
                "SYS.1007",
                "primary storage[uuid:%s] has not been attached to cluster[uuid:%s] yet",
                args=(ps_uuid, cluster_uuid),
            )

    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        cluster_uuid, ps_uuid = req.path_vars["clusterUuid"], req.path_vars["primaryStorageUuid"]
        store.detach_from_cluster(PRIMARY_STORAGE_KIND, ps_uuid, cluster_uuid)
        return self._result(store, ps_uuid)


# -- L2 network to cluster -------------------------------------------------------------------------


class _L2NetworkClusterOperation(Operation):
    """Both address ``/l2-networks/{l2NetworkUuid}/clusters/{clusterUuid}`` (checked in that order,
    the order of the messages' @APIParam fields)."""

    def check(self, store: Store, req: JobRequest) -> dict[str, Any] | None:
        l2_uuid, cluster_uuid = req.path_vars["l2NetworkUuid"], req.path_vars["clusterUuid"]
        if store.l2_network(l2_uuid) is None:
            raise self._not_found("l2NetworkUuid", l2_uuid, "L2NetworkVO")
        if store.cluster(cluster_uuid) is None:
            raise self._not_found("clusterUuid", cluster_uuid, "ClusterVO")
        return None

    def _result(self, store: Store, l2_uuid: str) -> dict[str, Any]:
        record = store.l2_network(l2_uuid)
        assert record is not None
        return {"inventory": L2_NETWORK.render(record)}


class AttachL2NetworkToCluster(_L2NetworkClusterOperation):
    """network/.../l2/L2NetworkApiInterceptor.java, validate(APIAttachL2NetworkToClusterMsg), at
    submit: attached already (SYS.1006), then a network of another vSwitch type on the same physical
    interface attached to the cluster (SYS.1007). Then, when the job runs, the attach itself
    (L2NoVlanNetwork.attachL2NetworkToCluster) refuses a physical interface (and, for VLAN
    networks, VLAN) that an attached network of the same type uses; that refusal reaches the
    caller as L2.1000 with the refusal as its cause (see :func:`_attach_failed`)."""

    name = "AttachL2NetworkToCluster"

    def precondition(self, store: Store, req: JobRequest) -> None:
        l2_uuid, cluster_uuid = req.path_vars["l2NetworkUuid"], req.path_vars["clusterUuid"]
        if store.is_attached_to_cluster(L2_NETWORK_KIND, l2_uuid, cluster_uuid):
            raise ApiError(
                "SYS.1006",
                "l2Network[uuid:%s] has attached to cluster[uuid:%s], can't attach again",
                args=(l2_uuid, cluster_uuid),
            )
        target = store.l2_network(l2_uuid)
        assert target is not None
        # otherL2s: the networks on the interface with another vSwitch type; refused if one of
        # them is attached to the cluster. The message names the first of them (otherL2s.get(0)),
        # attached to this cluster or not.
        interface = {"physicalInterface": target["physicalInterface"]}
        other_type = {"vSwitchType": target["vSwitchType"]}
        first_other = store.first_of_kind(L2_NETWORK_KIND, interface, other_type)
        if (
            first_other is not None
            and store.first_of_kind(L2_NETWORK_KIND, interface, other_type, attached_to=cluster_uuid)
            is not None
        ):
            raise ApiError(
                "SYS.1007",
                "could not attach l2 network, because there is another network [uuid:%s] on physical"
                " interface [%s] with different vswitch type",
                args=(first_other["uuid"], target["physicalInterface"]),
            )

    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        l2_uuid, cluster_uuid = req.path_vars["l2NetworkUuid"], req.path_vars["clusterUuid"]
        # The attach handler succeeds at once for a pair attached meanwhile (count != 0).
        if not store.is_attached_to_cluster(L2_NETWORK_KIND, l2_uuid, cluster_uuid):
            self._check_interface(store, l2_uuid, cluster_uuid)
            store.attach_to_cluster(L2_NETWORK_KIND, l2_uuid, cluster_uuid, now)
        return self._result(store, l2_uuid)

    def _check_interface(self, store: Store, l2_uuid: str, cluster_uuid: str) -> None:
        """The attach handler's own check, when the job runs: no attached network of the same type
        on the same physical interface (L2VlanNetwork: and the same VLAN)."""
        target = store.l2_network(l2_uuid)
        assert target is not None
        same = {"physicalInterface": target["physicalInterface"], "type": target["type"]}
        if target["type"] == "L2VlanNetwork":
            same["vlan"] = target["vlan"]
        elif target["type"] != "L2NoVlanNetwork":
            return
        other = store.first_of_kind(L2_NETWORK_KIND, same, attached_to=cluster_uuid)
        if other is None:
            return
        if target["type"] == "L2NoVlanNetwork":
            raise _attach_failed(
                ApiError(
                    "SYS.1000",
                    "%s",
                    args=(
                        ApiError(
                            "SYS.1007",
                            "There has been a l2Network[uuid:%s, name:%s] attached to cluster[uuid:%s]"
                            " that has physical interface[%s]. Failed to attach l2Network[uuid:%s]",
                            args=(
                                other["uuid"],
                                other["name"],
                                cluster_uuid,
                                other["physicalInterface"],
                                l2_uuid,
                            ),
                        ),
                    ),
                )
            )
        raise _attach_failed(
            ApiError(
                "SYS.1007",
                "There has been a L2VlanNetwork[uuid:%s, name:%s] attached to cluster[uuid:%s]"
                " that has physical interface[%s], vlan[%s]. Failed to attach"
                " L2VlanNetwork[uuid:%s]",
                args=(
                    other["uuid"],
                    other["name"],
                    cluster_uuid,
                    other["physicalInterface"],
                    str(other["vlan"]),
                    l2_uuid,
                ),
            )
        )


def _attach_failed(cause: ApiError) -> ApiError:
    """The API's answer when the attach message fails: ``err(L2Errors.ATTACH_ERROR, cause, "attach
    l2 network failed:%s", cause)`` (L2NoVlanNetwork.handle(APIAttachL2NetworkToClusterMsg)).

    The physical-interface refusals are thrown inside the attach's chain task, whose failure is
    the reply's error (core/.../aspect/AsyncBackupAspect.aj): an ``OperationFailureException``
    (VLAN) keeps its SYS.1007; an ``ApiMessageInterceptionException`` (no VLAN) is not one, so it
    becomes SYS.1000 whose details are the SYS.1007 as JSON (``ErrorFacadeImpl.throwableToInternalError``).
    """
    return ApiError("L2.1000", "attach l2 network failed:%s", args=(cause,), cause=cause)


class DetachL2NetworkFromCluster(_L2NetworkClusterOperation):
    """validate(APIDetachL2NetworkFromClusterMsg): a pair not attached is SYS.1006."""

    name = "DetachL2NetworkFromCluster"

    def precondition(self, store: Store, req: JobRequest) -> None:
        l2_uuid, cluster_uuid = req.path_vars["l2NetworkUuid"], req.path_vars["clusterUuid"]
        if not store.is_attached_to_cluster(L2_NETWORK_KIND, l2_uuid, cluster_uuid):
            raise ApiError(
                "SYS.1006",
                "l2Network[uuid:%s] has not attached to cluster[uuid:%s]",
                args=(l2_uuid, cluster_uuid),
            )

    def apply(self, store: Store, req: JobRequest, now: float) -> dict[str, Any]:
        l2_uuid, cluster_uuid = req.path_vars["l2NetworkUuid"], req.path_vars["clusterUuid"]
        store.detach_from_cluster(L2_NETWORK_KIND, l2_uuid, cluster_uuid)
        return self._result(store, l2_uuid)


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
        CreateCluster(),
        DeleteResource("DeleteCluster", Store.cluster, Store.delete_cluster),
        DeleteResource("DeletePrimaryStorage", Store.primary_storage, Store.delete_primary_storage),
        DeleteResource("DeleteL2Network", Store.l2_network, Store.delete_l2_network),
        AttachPrimaryStorageToCluster(),
        DetachPrimaryStorageFromCluster(),
        AttachL2NetworkToCluster(),
        DetachL2NetworkFromCluster(),
    )
}
