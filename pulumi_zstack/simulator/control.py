"""The control plane under ``/_sim``: inspect and steer the simulator (no auth, not ZStack).

Routes (JSON in and out; invalid input is 400 ``{"error": "..."}``):

``GET /_sim/requests[?since=<epoch>]``   the request log (:mod:`.recorder`)
``GET /_sim/jobs``                        every job kept, with poll counts and timings
``GET /_sim/attachments``                 zone / backup storage pairs with their tags, and the
                                          primary storage and L2 network to cluster pairs
``GET|POST|DELETE /_sim/faults``          list, add (returns the fault with its id) or clear faults
``POST /_sim/reset``                      back to the seed; clears sessions, jobs, faults and the log
``POST /_sim/sessions/expire``            invalidate every session
``PATCH /_sim/backup-storage/{uuid}``     overwrite stored fields of a backup storage
``GET /_sim/stats``                       logins, requests per route, active sessions, jobs
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

from aiohttp import web

from pulumi_zstack.simulator.faults import FaultSpecError
from pulumi_zstack.simulator.inventory import BACKUP_STORAGE, BACKUP_STORAGE_COLUMNS, Kind
from pulumi_zstack.simulator.state import SIMULATOR
from pulumi_zstack.simulator.store import L2_NETWORK_KIND, PRIMARY_STORAGE_KIND

# Fields PATCH /_sim/backup-storage/{uuid} may change (dates and identity are not).
_PATCHABLE = {
    name: BACKUP_STORAGE.fields[name]
    for name in BACKUP_STORAGE_COLUMNS
    if name not in ("uuid", "createDate", "lastOpDate")
}
_NULLABLE = ("description", "hostname", "username", "sshPort")


def _bad_request(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": message}), content_type="application/json")


async def _json_object(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except json.JSONDecodeError as exc:
        raise _bad_request(f"the body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise _bad_request("the body must be a JSON object")
    return body


async def requests_log(request: web.Request) -> web.Response:
    since = request.query.get("since")
    try:
        since_ts = None if since is None else float(since)
    except ValueError:
        raise _bad_request("'since' must be an epoch timestamp") from None
    return web.json_response({"requests": request.app[SIMULATOR].recorder.since(since_ts)})


async def jobs(request: web.Request) -> web.Response:
    return web.json_response(
        {
            "jobs": [
                {
                    "uuid": job.uuid,
                    "method": job.method,
                    "path": job.path,
                    "operation": job.operation,
                    "submittedAt": job.submitted_at,
                    "finishedAt": job.finished_at,
                    "firstDonePollAt": job.first_done_poll_at,
                    "polls": job.polls,
                    "status": job.status,
                }
                for job in request.app[SIMULATOR].store.jobs()
            ]
        }
    )


async def attachments(request: web.Request) -> web.Response:
    store = request.app[SIMULATOR].store
    return web.json_response(
        {
            "attachments": store.attachments(),
            "primaryStorageClusterAttachments": store.cluster_attachments(PRIMARY_STORAGE_KIND),
            "l2NetworkClusterAttachments": store.cluster_attachments(L2_NETWORK_KIND),
        }
    )


async def list_faults(request: web.Request) -> web.Response:
    return web.json_response({"faults": [f.to_json() for f in request.app[SIMULATOR].faults.list()]})


async def add_fault(request: web.Request) -> web.Response:
    try:
        fault = request.app[SIMULATOR].faults.add(await _json_object(request))
    except FaultSpecError as exc:
        raise _bad_request(str(exc)) from None
    return web.json_response(fault.to_json())


async def clear_faults(request: web.Request) -> web.Response:
    request.app[SIMULATOR].faults.clear()
    return web.json_response({})


async def reset(request: web.Request) -> web.Response:
    request.app[SIMULATOR].reset()
    return web.json_response({})


async def expire_sessions(request: web.Request) -> web.Response:
    request.app[SIMULATOR].store.delete_all_sessions()
    return web.json_response({})


def _check_patch_value(name: str, value: object) -> None:
    kind = _PATCHABLE.get(name)
    if kind is None:
        raise _bad_request(f"field '{name}' cannot be patched; patchable: {', '.join(_PATCHABLE)}")
    if value is None:
        if name not in _NULLABLE:
            raise _bad_request(f"field '{name}' cannot be null")
        return
    if kind is Kind.INT and (isinstance(value, bool) or not isinstance(value, int)):
        raise _bad_request(f"field '{name}' must be an integer")
    if kind is Kind.STRING and not isinstance(value, str):
        raise _bad_request(f"field '{name}' must be a string")


async def patch_backup_storage(request: web.Request) -> web.Response:
    sim = request.app[SIMULATOR]
    uuid = request.match_info["uuid"]
    fields = await _json_object(request)
    for name, value in fields.items():
        _check_patch_value(name, value)
    if sim.store.backup_storage(uuid) is None:
        raise web.HTTPNotFound(
            text=json.dumps({"error": f"no backup storage {uuid}"}), content_type="application/json"
        )
    if fields:
        sim.store.update_backup_storage(uuid, fields)
    record = sim.store.backup_storage(uuid)
    assert record is not None
    return web.json_response({"backupStorage": BACKUP_STORAGE.render(record)})


async def stats(request: web.Request) -> web.Response:
    sim = request.app[SIMULATOR]
    recorder = sim.recorder
    jobs_by_status = Counter(job.status for job in sim.store.jobs())
    return web.json_response(
        {
            "logins": recorder.logins,
            "failedLogins": recorder.failed_logins,
            "logouts": recorder.logouts,
            "requests": recorder.requests_by_route.total(),
            "requestsByPath": dict(recorder.requests_by_route),
            "activeSessions": sim.store.count_active_sessions(time.time()),
            "jobs": dict(jobs_by_status),
        }
    )


def control_routes() -> list[web.RouteDef]:
    return [
        web.get("/_sim/requests", requests_log, allow_head=False),
        web.get("/_sim/jobs", jobs, allow_head=False),
        web.get("/_sim/attachments", attachments, allow_head=False),
        web.get("/_sim/faults", list_faults, allow_head=False),
        web.post("/_sim/faults", add_fault),
        web.delete("/_sim/faults", clear_faults),
        web.post("/_sim/reset", reset),
        web.post("/_sim/sessions/expire", expire_sessions),
        web.patch("/_sim/backup-storage/{uuid}", patch_backup_storage),
        web.get("/_sim/stats", stats, allow_head=False),
    ]
