"""SQLite-backed state of the simulator: accounts, sessions, resources, attachments and jobs.

The store is used from the aiohttp event loop only, so every method runs to the
end without interleaving with another request; :meth:`Store.transaction` groups
several calls into one atomic SQLite transaction (a job's checks and change).
With ``path=":memory:"`` the state lives as long as the process; with a file it
survives a restart.

Column names are the wire field names, so a row is already a *record* in the
sense of :mod:`pulumi_zstack.simulator.inventory`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pulumi_zstack.simulator.inventory import (
    BACKUP_STORAGE_COLUMNS,
    CLUSTER,
    CLUSTER_COLUMNS,
    L2_NETWORK,
    L2_NETWORK_COLUMNS,
    PRIMARY_STORAGE,
    PRIMARY_STORAGE_COLUMNS,
    ZONE_COLUMNS,
    InventoryType,
    Kind,
)
from pulumi_zstack.simulator.seed import Seed

_SQL_TYPES = {Kind.STRING: "TEXT", Kind.INT: "INTEGER", Kind.BOOL: "INTEGER", Kind.DATE: "REAL"}


def _table(name: str, inventory_type: InventoryType, columns: tuple[str, ...]) -> str:
    """``CREATE TABLE`` of an inventory whose columns are its (scalar) wire fields."""
    definitions = ", ".join(
        f"{column} {_SQL_TYPES[inventory_type.fields[column]]}" + (" PRIMARY KEY" if column == "uuid" else "")
        for column in columns
    )
    return f"CREATE TABLE IF NOT EXISTS {name} ({definitions});"


PRIMARY_STORAGE_KIND = "primaryStorage"
L2_NETWORK_KIND = "l2Network"
_KIND_TABLES = {PRIMARY_STORAGE_KIND: "primary_storages", L2_NETWORK_KIND: "l2_networks"}
_KIND_COLUMNS = {PRIMARY_STORAGE_KIND: PRIMARY_STORAGE_COLUMNS, L2_NETWORK_KIND: L2_NETWORK_COLUMNS}
"""The two kinds of resource attached to clusters (the ``kind`` column of ``cluster_attachments``)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    uuid TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, passwordSha512 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS access_keys (
    id TEXT PRIMARY KEY, secret TEXT NOT NULL, accountUuid TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    uuid TEXT PRIMARY KEY, accountUuid TEXT NOT NULL, createDate REAL NOT NULL, expiredDate REAL NOT NULL);
CREATE TABLE IF NOT EXISTS zones (
    uuid TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT, state TEXT NOT NULL, type TEXT NOT NULL,
    isDefault INTEGER NOT NULL, createDate REAL NOT NULL, lastOpDate REAL NOT NULL);
CREATE TABLE IF NOT EXISTS backup_storages (
    uuid TEXT PRIMARY KEY, name TEXT NOT NULL, url TEXT NOT NULL, description TEXT,
    totalCapacity INTEGER NOT NULL, availableCapacity INTEGER NOT NULL, type TEXT NOT NULL,
    state TEXT NOT NULL, status TEXT NOT NULL, createDate REAL NOT NULL, lastOpDate REAL NOT NULL,
    hostname TEXT, username TEXT, sshPort INTEGER);
CREATE TABLE IF NOT EXISTS attachments (
    zoneUuid TEXT NOT NULL, backupStorageUuid TEXT NOT NULL, createDate REAL NOT NULL,
    PRIMARY KEY (zoneUuid, backupStorageUuid));
CREATE TABLE IF NOT EXISTS cluster_attachments (
    kind TEXT NOT NULL, resourceUuid TEXT NOT NULL, clusterUuid TEXT NOT NULL, createDate REAL NOT NULL,
    PRIMARY KEY (kind, resourceUuid, clusterUuid));
CREATE TABLE IF NOT EXISTS jobs (
    uuid TEXT PRIMARY KEY, method TEXT NOT NULL, path TEXT NOT NULL, operation TEXT NOT NULL,
    request TEXT NOT NULL, sessionUuid TEXT, submittedAt REAL NOT NULL, dueAt REAL NOT NULL,
    timedOutAfter REAL, injectedError TEXT, status TEXT NOT NULL, result TEXT, finishedAt REAL,
    firstDonePollAt REAL, polls INTEGER NOT NULL DEFAULT 0);
"""

_SCHEMA += "\n".join(
    (
        _table("clusters", CLUSTER, CLUSTER_COLUMNS),
        _table("primary_storages", PRIMARY_STORAGE, PRIMARY_STORAGE_COLUMNS),
        _table("l2_networks", L2_NETWORK, L2_NETWORK_COLUMNS),
    )
)


def _hash_order(uuids: list[str]) -> list[str]:
    """``attachedZoneUuids`` / ``attachedClusterUuids`` in an order unrelated to when they were attached.

    The node builds these lists from ``attachedZoneRefs`` / ``attachedClusterRefs``, ``HashSet``s of
    ref entities (``header/.../BackupStorageVO.java``, ``PrimaryStorageVO.java``, ``L2NetworkVO.java``
    and their inventories' ``valueOf``), so their order is arbitrary. The simulator orders by a hash
    of the uuid: stable, but not insertion order.
    """
    return sorted(uuids, key=lambda uuid: hashlib.sha256(uuid.encode()).hexdigest())


# Bumped whenever the schema changes: a --db file of another version is refused, not migrated.
SCHEMA_VERSION = "4"

_RESET_TABLES = (
    "accounts",
    "access_keys",
    "sessions",
    "zones",
    "backup_storages",
    "attachments",
    "clusters",
    "primary_storages",
    "l2_networks",
    "cluster_attachments",
    "jobs",
)

RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"


@dataclass(frozen=True)
class Job:
    """An accepted async API call, as persisted.

    ``request`` is what the operation needs (path variables, params, tags);
    ``timed_out_after`` (seconds) is set when the job outlasts its API timeout and
    ``injected_error`` when a ``job_error`` fault makes it fail; ``result`` is the
    body answered to polls once the job has finished.
    """

    uuid: str
    method: str
    path: str
    operation: str
    request: dict[str, Any]
    session_uuid: str | None
    submitted_at: float
    due_at: float
    timed_out_after: float | None
    injected_error: dict[str, Any] | None
    status: str
    result: dict[str, Any] | None
    finished_at: float | None
    first_done_poll_at: float | None
    polls: int

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Job:
        return cls(
            uuid=row["uuid"],
            method=row["method"],
            path=row["path"],
            operation=row["operation"],
            request=json.loads(row["request"]),
            session_uuid=row["sessionUuid"],
            submitted_at=row["submittedAt"],
            due_at=row["dueAt"],
            timed_out_after=row["timedOutAfter"],
            injected_error=None if row["injectedError"] is None else json.loads(row["injectedError"]),
            status=row["status"],
            result=None if row["result"] is None else json.loads(row["result"]),
            finished_at=row["finishedAt"],
            first_done_poll_at=row["firstDonePollAt"],
            polls=row["polls"],
        )


class StoreError(RuntimeError):
    """The database file cannot be used by this version of the simulator."""


class Store:
    """The simulator's persistent state."""

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        if path == ":memory:":
            self._db.execute("PRAGMA journal_mode=MEMORY")
        else:  # durable across a process stop, without an fsync per statement
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._in_transaction = False
        self._check_schema_version(path)

    def _check_schema_version(self, path: str) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schemaVersion'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta (key, value) VALUES ('schemaVersion', ?)", (SCHEMA_VERSION,))
        elif row["value"] != SCHEMA_VERSION:
            self._db.close()
            raise StoreError(
                f"{path} was written by another simulator version (schema {row['value']}, expected"
                f" {SCHEMA_VERSION}); delete it to start afresh"
            )

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the enclosed calls atomically (nested uses join the outer transaction)."""
        if self._in_transaction:
            yield
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._in_transaction = False

    # -- seed --------------------------------------------------------------------------------

    def is_seeded(self) -> bool:
        return self._db.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone() is not None

    def load_seed(self, seed: Seed, now: float) -> None:
        """Replace all state (sessions and jobs included) with ``seed``."""
        with self.transaction():
            for table in _RESET_TABLES:
                self._db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            for account in seed.accounts:
                self._db.execute(
                    "INSERT INTO accounts (uuid, name, passwordSha512) VALUES (?, ?, ?)",
                    (account.uuid, account.name, account.password_sha512),
                )
            for key in seed.access_keys:
                self._db.execute(
                    "INSERT INTO access_keys (id, secret, accountUuid) VALUES (?, ?, ?)",
                    (key.id, key.secret, seed.account_uuid(key.account_name)),
                )
            for zone in seed.zone_records():
                self.insert_zone({**zone, "createDate": now, "lastOpDate": now})
            for bs in seed.backup_storage_records():
                self.insert_backup_storage({**bs, "createDate": now, "lastOpDate": now})
            for seeded in seed.backup_storages:
                for zone_uuid in seeded.attached_zone_uuids:
                    self.attach(zone_uuid, seeded.uuid, now)
            for cluster in seed.cluster_records():
                self.insert_cluster({**cluster, "createDate": now, "lastOpDate": now})
            for ps in seed.primary_storage_records():
                self.insert_primary_storage({**ps, "createDate": now, "lastOpDate": now})
            for l2 in seed.l2_network_records():
                self.insert_l2_network({**l2, "createDate": now, "lastOpDate": now})
            for kind, resources in (
                (PRIMARY_STORAGE_KIND, seed.primary_storages),
                (L2_NETWORK_KIND, seed.l2_networks),
            ):
                for resource in resources:
                    for cluster_uuid in resource.attached_cluster_uuids:
                        self.attach_to_cluster(kind, resource.uuid, cluster_uuid, now)
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('seeded', '1')")

    # -- accounts and sessions ---------------------------------------------------------------

    def account_by_name(self, name: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._db.execute(
            "SELECT * FROM accounts WHERE name = ?", (name,)
        ).fetchone()
        return row

    def access_key(self, key_id: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._db.execute(
            "SELECT * FROM access_keys WHERE id = ?", (key_id,)
        ).fetchone()
        return row

    def create_session(self, session_uuid: str, account_uuid: str, now: float, timeout: float) -> sqlite3.Row:
        self._db.execute(
            "INSERT INTO sessions (uuid, accountUuid, createDate, expiredDate) VALUES (?, ?, ?, ?)",
            (session_uuid, account_uuid, now, now + timeout),
        )
        row: sqlite3.Row | None = self._db.execute(
            "SELECT * FROM sessions WHERE uuid = ?", (session_uuid,)
        ).fetchone()
        assert row is not None
        return row

    def session_valid(self, session_uuid: str, now: float) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM sessions WHERE uuid = ? AND expiredDate > ?", (session_uuid, now)
        ).fetchone()
        return row is not None

    def touch_session(self, session_uuid: str, now: float, timeout: float) -> bool:
        """Slide a valid session's expiry to ``now + timeout``; False if it is not valid."""
        cursor = self._db.execute(
            "UPDATE sessions SET expiredDate = ? WHERE uuid = ? AND expiredDate > ?",
            (now + timeout, session_uuid, now),
        )
        return cursor.rowcount == 1

    def delete_session(self, session_uuid: str) -> bool:
        """Forget a session; whether it existed."""
        return self._db.execute("DELETE FROM sessions WHERE uuid = ?", (session_uuid,)).rowcount == 1

    def delete_all_sessions(self) -> None:
        self._db.execute("DELETE FROM sessions")

    def count_sessions_of(self, account_uuid: str, now: float) -> int:
        """Live sessions of one account (the node counts per user; an account login's user is the account)."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM sessions WHERE accountUuid = ? AND expiredDate > ?", (account_uuid, now)
        ).fetchone()
        return int(row[0])

    def count_active_sessions(self, now: float) -> int:
        row = self._db.execute("SELECT COUNT(*) FROM sessions WHERE expiredDate > ?", (now,)).fetchone()
        return int(row[0])

    # -- zones -------------------------------------------------------------------------------

    def zones(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._db.execute("SELECT * FROM zones ORDER BY rowid")]

    def zone(self, zone_uuid: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT * FROM zones WHERE uuid = ?", (zone_uuid,)).fetchone()
        return None if row is None else dict(row)

    def insert_zone(self, record: dict[str, Any]) -> None:
        self._insert("zones", ZONE_COLUMNS, record)

    def delete_zone(self, zone_uuid: str) -> None:
        """Delete a zone, its backup-storage attachments, and (as the node's deletion cascade does)
        its clusters, primary storages and L2 networks with their attachments."""
        with self.transaction():
            self._db.execute("DELETE FROM attachments WHERE zoneUuid = ?", (zone_uuid,))
            for kind, table in _KIND_TABLES.items():
                self._db.execute(
                    "DELETE FROM cluster_attachments WHERE kind = ? AND resourceUuid IN"  # noqa: S608
                    f" (SELECT uuid FROM {table} WHERE zoneUuid = ?)",
                    (kind, zone_uuid),
                )
                self._db.execute(f"DELETE FROM {table} WHERE zoneUuid = ?", (zone_uuid,))  # noqa: S608
            self._db.execute(
                "DELETE FROM cluster_attachments WHERE clusterUuid IN"
                " (SELECT uuid FROM clusters WHERE zoneUuid = ?)",
                (zone_uuid,),
            )
            self._db.execute("DELETE FROM clusters WHERE zoneUuid = ?", (zone_uuid,))
            self._db.execute("DELETE FROM zones WHERE uuid = ?", (zone_uuid,))

    # -- backup storages ---------------------------------------------------------------------

    def backup_storages(self) -> list[dict[str, Any]]:
        rows = [dict(r) for r in self._db.execute("SELECT * FROM backup_storages ORDER BY rowid")]
        zones_of: dict[str, list[str]] = {}
        for a in self._db.execute("SELECT zoneUuid, backupStorageUuid FROM attachments"):
            zones_of.setdefault(a["backupStorageUuid"], []).append(a["zoneUuid"])
        for row in rows:
            row["attachedZoneUuids"] = _hash_order(zones_of.get(row["uuid"], []))
        return rows

    def backup_storage(self, bs_uuid: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT * FROM backup_storages WHERE uuid = ?", (bs_uuid,)).fetchone()
        if row is None:
            return None
        record = dict(row)
        record["attachedZoneUuids"] = _hash_order(
            [
                a["zoneUuid"]
                for a in self._db.execute(
                    "SELECT zoneUuid FROM attachments WHERE backupStorageUuid = ?", (bs_uuid,)
                )
            ]
        )
        return record

    def insert_backup_storage(self, record: dict[str, Any]) -> None:
        self._insert("backup_storages", BACKUP_STORAGE_COLUMNS, record)

    def update_backup_storage(self, bs_uuid: str, fields: dict[str, Any]) -> None:
        """Overwrite stored fields (names already validated against the columns)."""
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self._db.execute(
            f"UPDATE backup_storages SET {assignments} WHERE uuid = ?",  # noqa: S608 - validated names
            (*fields.values(), bs_uuid),
        )

    def delete_backup_storage(self, bs_uuid: str) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM attachments WHERE backupStorageUuid = ?", (bs_uuid,))
            self._db.execute("DELETE FROM backup_storages WHERE uuid = ?", (bs_uuid,))

    # -- attachments -------------------------------------------------------------------------

    def is_attached(self, zone_uuid: str, bs_uuid: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM attachments WHERE zoneUuid = ? AND backupStorageUuid = ?", (zone_uuid, bs_uuid)
        ).fetchone()
        return row is not None

    def attach(self, zone_uuid: str, bs_uuid: str, now: float) -> None:
        """Attach the pair; attaching an attached pair changes nothing (see ``AttachBackupStorageToZone``)."""
        self._db.execute(
            "INSERT OR IGNORE INTO attachments (zoneUuid, backupStorageUuid, createDate) VALUES (?, ?, ?)",
            (zone_uuid, bs_uuid, now),
        )

    def detach(self, zone_uuid: str, bs_uuid: str) -> None:
        self._db.execute(
            "DELETE FROM attachments WHERE zoneUuid = ? AND backupStorageUuid = ?", (zone_uuid, bs_uuid)
        )

    def attachments(self) -> list[dict[str, Any]]:
        return [
            {
                "zoneUuid": r["zoneUuid"],
                "backupStorageUuid": r["backupStorageUuid"],
                "createDate": r["createDate"],
            }
            for r in self._db.execute("SELECT * FROM attachments ORDER BY rowid")
        ]

    # -- clusters, primary storages, L2 networks ------------------------------------------------

    def clusters(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._db.execute("SELECT * FROM clusters ORDER BY rowid")]

    def cluster(self, cluster_uuid: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT * FROM clusters WHERE uuid = ?", (cluster_uuid,)).fetchone()
        return None if row is None else dict(row)

    def insert_cluster(self, record: dict[str, Any]) -> None:
        self._insert("clusters", CLUSTER_COLUMNS, record)

    def delete_cluster(self, cluster_uuid: str) -> None:
        """Delete a cluster and its attachments (primary storages and L2 networks stay)."""
        with self.transaction():
            self._db.execute("DELETE FROM cluster_attachments WHERE clusterUuid = ?", (cluster_uuid,))
            self._db.execute("DELETE FROM clusters WHERE uuid = ?", (cluster_uuid,))

    def primary_storages(self) -> list[dict[str, Any]]:
        return self._with_clusters(PRIMARY_STORAGE_KIND)

    def primary_storage(self, ps_uuid: str) -> dict[str, Any] | None:
        return self._one_with_clusters(PRIMARY_STORAGE_KIND, ps_uuid)

    def insert_primary_storage(self, record: dict[str, Any]) -> None:
        self._insert("primary_storages", PRIMARY_STORAGE_COLUMNS, record)

    def delete_primary_storage(self, ps_uuid: str) -> None:
        self._delete_with_clusters(PRIMARY_STORAGE_KIND, ps_uuid)

    def l2_networks(self) -> list[dict[str, Any]]:
        return self._with_clusters(L2_NETWORK_KIND)

    def l2_network(self, l2_uuid: str) -> dict[str, Any] | None:
        return self._one_with_clusters(L2_NETWORK_KIND, l2_uuid)

    def insert_l2_network(self, record: dict[str, Any]) -> None:
        self._insert("l2_networks", L2_NETWORK_COLUMNS, record)

    def delete_l2_network(self, l2_uuid: str) -> None:
        self._delete_with_clusters(L2_NETWORK_KIND, l2_uuid)

    # -- attachments to clusters -------------------------------------------------------------

    def is_attached_to_cluster(self, kind: str, resource_uuid: str, cluster_uuid: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM cluster_attachments WHERE kind = ? AND resourceUuid = ? AND clusterUuid = ?",
            (kind, resource_uuid, cluster_uuid),
        ).fetchone()
        return row is not None

    def attach_to_cluster(self, kind: str, resource_uuid: str, cluster_uuid: str, now: float) -> None:
        self._db.execute(
            "INSERT INTO cluster_attachments (kind, resourceUuid, clusterUuid, createDate)"
            " VALUES (?, ?, ?, ?)",
            (kind, resource_uuid, cluster_uuid, now),
        )

    def detach_from_cluster(self, kind: str, resource_uuid: str, cluster_uuid: str) -> None:
        self._db.execute(
            "DELETE FROM cluster_attachments WHERE kind = ? AND resourceUuid = ? AND clusterUuid = ?",
            (kind, resource_uuid, cluster_uuid),
        )

    def first_of_kind(
        self,
        kind: str,
        equal: Mapping[str, Any],
        differ: Mapping[str, Any] | None = None,
        *,
        attached_to: str | None = None,
    ) -> dict[str, Any] | None:
        """The oldest row of ``kind`` (a primary storage or an L2 network, without its cluster
        list) whose columns equal ``equal`` and differ from ``differ``, and, with
        ``attached_to``, that is attached to that cluster: the node's checks are such queries
        (a join with the cluster reference table, answered by the database, not a scan)."""
        table, columns = _KIND_TABLES[kind], _KIND_COLUMNS[kind]
        differ = differ or {}
        unknown = set(equal) - set(columns) | set(differ) - set(columns)
        assert not unknown, f"no such column of {table}: {unknown}"
        where = [f"t.{column} = ?" for column in equal] + [f"t.{column} != ?" for column in differ]
        params: list[Any] = [*equal.values(), *differ.values()]
        join = ""
        if attached_to is not None:
            join = (
                " JOIN cluster_attachments a ON a.resourceUuid = t.uuid AND a.kind = ? AND a.clusterUuid = ?"
            )
            params = [kind, attached_to, *params]
        row = self._db.execute(
            f"SELECT t.* FROM {table} t{join} WHERE {' AND '.join(where)} ORDER BY t.rowid LIMIT 1",  # noqa: S608
            params,
        ).fetchone()
        return None if row is None else dict(row)

    def cluster_attachments(self, kind: str) -> list[dict[str, Any]]:
        """``{"<kind>Uuid", "clusterUuid", "createDate"}`` of every attachment of ``kind``, oldest first."""
        return [
            {f"{kind}Uuid": r["resourceUuid"], "clusterUuid": r["clusterUuid"], "createDate": r["createDate"]}
            for r in self._db.execute(
                "SELECT * FROM cluster_attachments WHERE kind = ? ORDER BY rowid", (kind,)
            )
        ]

    def _with_clusters(self, kind: str) -> list[dict[str, Any]]:
        table = _KIND_TABLES[kind]
        rows = [dict(r) for r in self._db.execute(f"SELECT * FROM {table} ORDER BY rowid")]  # noqa: S608
        clusters_of: dict[str, list[str]] = {}
        for a in self._db.execute(
            "SELECT resourceUuid, clusterUuid FROM cluster_attachments WHERE kind = ? ORDER BY rowid", (kind,)
        ):
            clusters_of.setdefault(a["resourceUuid"], []).append(a["clusterUuid"])
        for row in rows:
            row["attachedClusterUuids"] = _hash_order(clusters_of.get(row["uuid"], []))
        return rows

    def _one_with_clusters(self, kind: str, uuid: str) -> dict[str, Any] | None:
        table = _KIND_TABLES[kind]
        row = self._db.execute(f"SELECT * FROM {table} WHERE uuid = ?", (uuid,)).fetchone()  # noqa: S608
        if row is None:
            return None
        record = dict(row)
        record["attachedClusterUuids"] = _hash_order(
            [
                a["clusterUuid"]
                for a in self._db.execute(
                    "SELECT clusterUuid FROM cluster_attachments WHERE kind = ? AND resourceUuid = ?"
                    " ORDER BY rowid",
                    (kind, uuid),
                )
            ]
        )
        return record

    def _delete_with_clusters(self, kind: str, uuid: str) -> None:
        table = _KIND_TABLES[kind]
        with self.transaction():
            self._db.execute(
                "DELETE FROM cluster_attachments WHERE kind = ? AND resourceUuid = ?", (kind, uuid)
            )
            self._db.execute(f"DELETE FROM {table} WHERE uuid = ?", (uuid,))  # noqa: S608

    # -- jobs --------------------------------------------------------------------------------

    def insert_job(self, job: Job) -> None:
        self._db.execute(
            "INSERT INTO jobs (uuid, method, path, operation, request, sessionUuid, submittedAt, dueAt,"
            " timedOutAfter, injectedError, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                job.uuid,
                job.method,
                job.path,
                job.operation,
                json.dumps(job.request),
                job.session_uuid,
                job.submitted_at,
                job.due_at,
                job.timed_out_after,
                None if job.injected_error is None else json.dumps(job.injected_error),
                job.status,
            ),
        )

    def job(self, job_uuid: str) -> Job | None:
        row = self._db.execute("SELECT * FROM jobs WHERE uuid = ?", (job_uuid,)).fetchone()
        return None if row is None else Job.from_row(row)

    def jobs(self, status: str | None = None) -> list[Job]:
        if status is None:
            rows = self._db.execute("SELECT * FROM jobs ORDER BY submittedAt")
        else:
            rows = self._db.execute("SELECT * FROM jobs WHERE status = ? ORDER BY submittedAt", (status,))
        return [Job.from_row(r) for r in rows]

    def finish_job(self, job_uuid: str, status: str, result: dict[str, Any], now: float) -> None:
        self._db.execute(
            "UPDATE jobs SET status = ?, result = ?, finishedAt = ? WHERE uuid = ?",
            (status, json.dumps(result), now, job_uuid),
        )

    def record_poll(self, job_uuid: str, done: bool, now: float) -> None:
        """Count a poll; the first poll that sees the final answer is timestamped."""
        if done:
            self._db.execute(
                "UPDATE jobs SET polls = polls + 1, firstDonePollAt = COALESCE(firstDonePollAt, ?)"
                " WHERE uuid = ?",
                (now, job_uuid),
            )
        else:
            self._db.execute("UPDATE jobs SET polls = polls + 1 WHERE uuid = ?", (job_uuid,))

    def delete_jobs_finished_before(self, cutoff: float) -> int:
        cursor = self._db.execute("DELETE FROM jobs WHERE status != ? AND finishedAt < ?", (RUNNING, cutoff))
        return cursor.rowcount

    # -- helpers -----------------------------------------------------------------------------

    def _insert(self, table: str, columns: tuple[str, ...], record: dict[str, Any]) -> None:
        names = [c for c in columns if c in record]
        self._db.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",  # noqa: S608
            tuple(record[n] for n in names),
        )
