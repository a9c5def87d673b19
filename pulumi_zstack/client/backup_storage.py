"""Backup storage: ``/v1/backup-storage`` and its attachment to zones."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ._endpoint import path_segment
from ._query import QueryClient

if TYPE_CHECKING:
    from .models import BackupStorageInventory

__all__ = ["BackupStorageClient"]


class BackupStorageClient(QueryClient["BackupStorageInventory"]):
    """``client.backup_storage``: query, add, delete, attach to and detach from zones."""

    _collection = "/v1/backup-storage"
    _query_operation = "QueryBackupStorage"
    _noun = "backup storage"
    _model_name = "BackupStorageInventory"

    def add_image_store(
        self,
        *,
        name: str,
        url: str,
        hostname: str,
        username: str,
        password: str,
        ssh_port: int = 22,
        description: str | None = None,
    ) -> BackupStorageInventory:
        """Add an ImageStore backup storage (``AddImageStoreBackupStorage``) and return it."""
        return self._add(
            "image-store",
            "AddImageStoreBackupStorage",
            name=name,
            url=url,
            hostname=hostname,
            username=username,
            password=password,
            ssh_port=ssh_port,
            description=description,
        )

    def add_sftp(
        self,
        *,
        name: str,
        url: str,
        hostname: str,
        username: str,
        password: str,
        ssh_port: int = 22,
        description: str | None = None,
    ) -> BackupStorageInventory:
        """Add an SFTP backup storage (``AddSftpBackupStorage``) and return it."""
        return self._add(
            "sftp",
            "AddSftpBackupStorage",
            name=name,
            url=url,
            hostname=hostname,
            username=username,
            password=password,
            ssh_port=ssh_port,
            description=description,
        )

    def _add(
        self, kind: str, operation: str, *, ssh_port: int, description: str | None, **fields: str
    ) -> BackupStorageInventory:
        params: dict[str, Any] = {**fields, "sshPort": ssh_port}
        if description is not None:
            params["description"] = description
        result = self._run_job(
            "POST", f"{self._collection}/{kind}", operation=operation, json={"params": params}
        )
        return self._inventory(result)

    def delete(self, uuid: str) -> None:
        """Delete a backup storage (``DeleteBackupStorage``); its zone attachments go with it."""
        self._run_job("DELETE", f"{self._collection}/{path_segment(uuid)}", operation="DeleteBackupStorage")

    def attach_to_zone(
        self,
        zone_uuid: str,
        backup_storage_uuid: str,
        *,
        system_tags: Sequence[str] | None = None,
        user_tags: Sequence[str] | None = None,
        job_uuids: Iterable[str] | None = None,
    ) -> BackupStorageInventory:
        """Attach a backup storage to a zone (``AttachBackupStorageToZone``); return the storage.

        A pair that is attached already fails the job with ``SYS.1006``
        (:class:`~pulumi_zstack.client.JobFailedError`), as do other refusals: read the backup
        storage to tell them apart. The management node neither validates nor stores the tags
        of this call (only create messages' tags reach its tag manager).

        ``job_uuids``: job uuids to use instead of a random one (see ``JobRunner.run``).
        """
        body: dict[str, Any] = {"params": {}}
        if system_tags is not None:
            body["systemTags"] = list(system_tags)
        if user_tags is not None:
            body["userTags"] = list(user_tags)
        result = self._run_job(
            "POST",
            _attachment_path(zone_uuid, backup_storage_uuid),
            operation="AttachBackupStorageToZone",
            json=body,
            job_uuids=job_uuids,
        )
        return self._inventory(result)

    def detach_from_zone(
        self, zone_uuid: str, backup_storage_uuid: str, *, job_uuids: Iterable[str] | None = None
    ) -> BackupStorageInventory:
        """Detach a backup storage from a zone (``DetachBackupStorageFromZone``); return the storage.

        A pair that is not attached fails the job with ``SYS.1006``
        (:class:`~pulumi_zstack.client.JobFailedError`); read the backup storage to tell this
        apart from other refusals. A zone or backup storage that does not exist is ``SYS.1003``
        (:class:`~pulumi_zstack.client.NotFoundError`).

        ``job_uuids``: job uuids to use instead of a random one (see ``JobRunner.run``).
        """
        result = self._run_job(
            "DELETE",
            _attachment_path(zone_uuid, backup_storage_uuid),
            operation="DetachBackupStorageFromZone",
            job_uuids=job_uuids,
        )
        return self._inventory(result)


def _attachment_path(zone_uuid: str, backup_storage_uuid: str) -> str:
    return f"/v1/zones/{path_segment(zone_uuid)}/backup-storage/{path_segment(backup_storage_uuid)}"
