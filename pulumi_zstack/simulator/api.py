"""The ZStack REST API under ``/zstack/v1``: routes, handlers and the request middleware.

Every ZStack request goes through :func:`observe`, which logs it, applies a
matching fault and turns :class:`~pulumi_zstack.simulator.wire.RestError` /
:class:`~pulumi_zstack.simulator.wire.ApiError` into plain-text / JSON answers
the way the management node does (unknown path: 404 ``no api mapping to ...``;
wrong method: 405). ``docs/simulator.md`` lists the endpoints.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from pulumi_zstack.simulator.auth import CONTEXT_PATH, Credentials, NodeClock, authenticate
from pulumi_zstack.simulator.faults import Fault
from pulumi_zstack.simulator.inventory import (
    BACKUP_STORAGE,
    CLUSTER,
    L2_NETWORK,
    PRIMARY_STORAGE,
    ZONE,
    InventoryType,
)
from pulumi_zstack.simulator.jobs import SESSION_EXPIRED, InjectedError
from pulumi_zstack.simulator.operations import OPERATIONS, JobRequest, Operation
from pulumi_zstack.simulator.query import get_by_uuid, parse_query, run_query
from pulumi_zstack.simulator.recorder import Entry
from pulumi_zstack.simulator.state import SIMULATOR, Simulator
from pulumi_zstack.simulator.store import FAILED, RUNNING, Store
from pulumi_zstack.simulator.wire import ApiError, RestError, gson_date, invalid_argument, new_uuid

API = f"{CONTEXT_PATH}/v1"
DEFAULT_API_TIMEOUT = 1800.0  # seconds, the management node's default
_JOB_UUID_RE = re.compile(r"[0-9a-fA-F]{32}")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_ENTRY = web.RequestKey("entry", Entry)
_FAULT = web.RequestKey("fault", Fault)
_CLOCK_SKEW = web.RequestKey("clock_skew", float)


# -- plumbing --------------------------------------------------------------------------------


def _text(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text, content_type="text/plain")


def _json(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(body, status=status)


def _drop(request: web.Request) -> web.Response:
    """Close the client connection without an answer; the returned response is never sent."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=499)


def _fault_response(fault: Fault) -> web.Response:
    assert fault.status is not None
    if fault.body is None:
        return web.Response(status=fault.status)
    if isinstance(fault.body, str):
        return _text(fault.status, fault.body)
    return web.json_response(fault.body, status=fault.status)


async def _dispatch(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Run the handler, answering routing misses and errors as the management node does."""
    miss = request.match_info.http_exception
    if miss is not None:
        api_path = request.path.removeprefix(CONTEXT_PATH)
        if miss.status == 405:
            return _text(405, f"The method[{request.method}] is not allowed for the path[{request.path}]")
        return _text(404, f"no api mapping to {api_path}")
    try:
        return await handler(request)
    except RestError as error:
        return _text(error.status, error.text)
    except ApiError as error:
        return _json(error.body(request.app[SIMULATOR].config.locale), status=error.status)


@web.middleware
async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Log a ZStack API request and apply the first matching fault."""
    if not request.path.startswith(f"{CONTEXT_PATH}/"):
        return await handler(request)
    sim = request.app[SIMULATOR]
    resource = request.match_info.route.resource
    route = resource.canonical if resource is not None else request.path
    entry = sim.recorder.start(request.method, request.path, request.query_string, route, time.time())
    request[_ENTRY] = entry
    fault = sim.faults.take(request.method, request.path)
    if fault is not None:
        entry.fault = fault.action
        if fault.action == "drop_before":
            return _drop(request)
        if fault.action == "status":
            answer = _fault_response(fault)
            entry.status = answer.status
            return answer
        if fault.action == "delay":
            assert fault.seconds is not None
            await asyncio.sleep(fault.seconds)
        elif fault.action == "expire_session":
            auth = request.headers.get("Authorization", "").strip()
            if auth.startswith("OAuth"):
                sim.store.delete_session(auth.removeprefix("OAuth").strip())
        elif fault.action in ("job_error", "job_delay"):
            request[_FAULT] = fault
        elif fault.action == "clock_skew":
            assert fault.seconds is not None
            request[_CLOCK_SKEW] = fault.seconds
    response = await _dispatch(request, handler)
    entry.status = response.status
    if fault is not None and fault.action == "drop":
        return _drop(request)
    return response


async def _json_body(request: web.Request) -> dict[str, Any]:
    """The request's JSON object; an empty body or JSON ``null`` is ``{}``, as ``RestServer.handleApi``
    makes of a null body (the Go SDK posts ``null`` for calls without parameters)."""
    text = await request.text()
    if not text.strip():
        return {}
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RestError(400, f"the body is not valid JSON: {exc}") from None
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise RestError(400, "the body must be a JSON object")
    return body


def _credentials(request: web.Request) -> Credentials:
    sim = request.app[SIMULATOR]
    clock = NodeClock(
        now=time.time() + request.get(_CLOCK_SKEW, 0.0),
        zone=sim.time_zone,
        check_time_zone=sim.config.check_time_zone,
    )
    creds = authenticate(sim.store, request.method, request.path, request.headers, clock=clock)
    request[_ENTRY].auth = creds.kind
    return creds


def _touch_session(sim: Simulator, creds: Credentials) -> bool:
    """Slide the caller's session; False if it is invalid (access keys have none)."""
    if creds.session_uuid is None:
        return True
    return sim.store.touch_session(creds.session_uuid, time.time(), sim.config.session_timeout)


# -- accounts and sessions -------------------------------------------------------------------


async def login(request: web.Request) -> web.Response:
    sim = request.app[SIMULATOR]
    body = await _json_body(request)
    params = body.get("logInByAccount")
    if not isinstance(params, dict):
        raise RestError(400, f"the body doesn't contain action mapping to the URL[{API}/accounts/login]")
    name, password = params.get("accountName"), params.get("password")
    if not isinstance(name, str) or not isinstance(password, str):
        missing = "password" if isinstance(name, str) else "accountName"
        raise invalid_argument(
            f"field[{missing}] of message[APILogInByAccountMsg] is mandatory, can not be null"
        )
    account = sim.store.account_by_name(name)
    if account is None or not hmac.compare_digest(account["passwordSha512"], password):
        sim.recorder.failed_logins += 1
        raise ApiError("ID.1000", "wrong account name or password")
    now = time.time()
    # identity/.../Session.java (login): at identity.session.maxConcurrent sessions of the user
    # (conf/globalConfig/identity.xml, default 500) a new login is refused with ID.1006.
    if sim.store.count_sessions_of(account["uuid"], now) >= sim.config.max_sessions:
        sim.recorder.failed_logins += 1
        raise ApiError("ID.1006", "Login sessions hit limit of max allowed concurrent login sessions")
    session = sim.store.create_session(new_uuid(), account["uuid"], now, sim.config.session_timeout)
    sim.recorder.logins += 1
    return _json(
        {
            "inventory": {
                "uuid": session["uuid"],
                "accountUuid": account["uuid"],
                "userUuid": account["uuid"],
                "expiredDate": gson_date(session["expiredDate"]),
                "createDate": gson_date(session["createDate"]),
            }
        }
    )


async def logout(request: web.Request) -> web.Response:
    sim = request.app[SIMULATOR]
    if sim.store.delete_session(request.match_info["uuid"]):
        sim.recorder.logouts += 1
    return _json({})


async def validate_session(request: web.Request) -> web.Response:
    store = request.app[SIMULATOR].store
    return _json({"valid": store.session_valid(request.match_info["uuid"], time.time())})


# -- jobs --------------------------------------------------------------------------------------


async def poll_job(request: web.Request) -> web.Response:
    if request.method != "GET":
        return _text(405, "only GET method is allowed for querying job status")
    job = request.app[SIMULATOR].jobs.poll(request.match_info["uuid"])
    if job is None:
        return _text(404, "the job has been expired")
    if job.status == RUNNING:
        return _json({}, status=202)
    assert job.result is not None
    return _json(job.result, status=503 if job.status == FAILED else 200)


def _job_uuid(request: web.Request, sim: Simulator) -> str:
    value = request.headers.get("X-Job-UUID")
    if value is None:
        return new_uuid()
    if _JOB_UUID_RE.fullmatch(value) is None:
        raise RestError(400, "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped")
    job_uuid = value.lower()
    # rest/.../RestServer.java: a POST/PUT/DELETE whose job uuid has a record (AsyncRestVO) is refused.
    if sim.store.job(job_uuid) is not None:
        raise RestError(400, f"Duplicate job uuid[{job_uuid}]")
    return job_uuid


def _api_timeout(request: web.Request) -> float:
    value = request.headers.get("X-API-Timeout")
    if value is None:
        return DEFAULT_API_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise RestError(400, "Invalid header[X-API-Timeout], it must be a positive number of seconds")
    return seconds


def _tags(request: web.Request, body: dict[str, Any], params: dict[str, Any], name: str) -> list[str]:
    """``systemTags`` / ``userTags`` of a call, as ``RestServer.handleApi`` reads them: from the query
    string of a DELETE, otherwise from the top level of the body, else from inside ``params`` (where
    the Java SDK puts them; ``JSONObjectUtil.rehashObject`` sets them on the message, and top-level
    ones are copied over them)."""
    if request.method == "DELETE":
        value: object = request.query.getall(name, [])
    else:
        value = body.get(name)
        if value is None:
            value = params.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise RestError(400, f"'{name}' must be a list of strings")
    return value


def _job_fault(request: web.Request, job_delay: float) -> tuple[float, InjectedError | None]:
    """The delay and injected failure of the job a request creates, as its fault (if any) says."""
    fault = request.get(_FAULT)
    if fault is not None and fault.action == "job_delay":
        assert fault.seconds is not None
        return fault.seconds, None
    if fault is not None and fault.action == "job_error":
        assert fault.code is not None
        return job_delay, InjectedError(fault.code, fault.details, fault.description)
    return job_delay, None


def async_api(operation: Operation) -> Handler:
    """A handler that accepts a call as a job of ``operation`` (202 + location)."""

    async def handler(request: web.Request) -> web.Response:
        sim = request.app[SIMULATOR]
        creds = _credentials(request)
        job_uuid = _job_uuid(request, sim)
        api_timeout = _api_timeout(request)
        body = await _json_body(request) if request.method != "DELETE" else {}
        params = body.get("params")
        if params is None:
            params = {}
        elif not isinstance(params, dict):
            raise RestError(400, "'params' must be a JSON object")
        job_request = JobRequest(
            path_vars=dict(request.match_info),
            params=params,
            system_tags=_tags(request, body, params, "systemTags"),
            user_tags=_tags(request, body, params, "userTags"),
        )
        request[_ENTRY].tags = {
            name: tags
            for name, tags in (("systemTags", job_request.system_tags), ("userTags", job_request.user_tags))
            if tags
        }
        _touch_session(sim, creds)
        delay, injected = _job_fault(request, sim.config.job_delay)
        job = sim.jobs.submit(
            job_uuid=job_uuid,
            method=request.method,
            path=request.path,
            operation=operation.name,
            request=job_request,
            session_uuid=creds.session_uuid,
            delay=delay,
            api_timeout=api_timeout,
            injected=injected,
        )
        request[_ENTRY].job_uuid = job.uuid
        base = sim.base_url or f"{request.scheme}://{request.host}"
        return _json(
            {"location": f"{base}{API}/api-jobs/{job.uuid}", "apiTimeout": round(api_timeout * 1000)},
            status=202,
        )

    return handler


# -- queries -----------------------------------------------------------------------------------


def query_api(
    inventory_type: InventoryType,
    all_records: Callable[[Store], list[dict[str, Any]]],
    one_record: Callable[[Store, str], dict[str, Any] | None],
) -> Handler:
    """A handler for ``GET /<resources>`` and ``GET /<resources>/{uuid}``.

    As on the management node, ``/{uuid}`` ignores the query parameters.
    """

    async def handler(request: web.Request) -> web.Response:
        sim = request.app[SIMULATOR]
        creds = _credentials(request)
        uuid = request.match_info.get("uuid")
        query = None if uuid is not None else parse_query({k: request.query.getall(k) for k in request.query})
        if not _touch_session(sim, creds):
            raise ApiError("ID.1001", SESSION_EXPIRED)
        if sim.config.query_latency:
            # A real node answers a query in tens of milliseconds (database round trips);
            # --query-latency models that time without using the simulator's CPU.
            await asyncio.sleep(sim.config.query_latency)
        if query is None:
            assert uuid is not None
            return _json(get_by_uuid(inventory_type, one_record(sim.store, uuid)))
        return _json(run_query(inventory_type, all_records(sim.store), query))

    return handler


# -- routes -------------------------------------------------------------------------------


def api_routes() -> list[web.RouteDef]:
    zones = query_api(ZONE, Store.zones, Store.zone)
    backup_storages = query_api(BACKUP_STORAGE, Store.backup_storages, Store.backup_storage)
    pair = f"{API}/zones/{{zoneUuid}}/backup-storage/{{backupStorageUuid}}"
    clusters = query_api(CLUSTER, Store.clusters, Store.cluster)
    primary_storages = query_api(PRIMARY_STORAGE, Store.primary_storages, Store.primary_storage)
    l2_networks = query_api(L2_NETWORK, Store.l2_networks, Store.l2_network)
    ps_pair = f"{API}/clusters/{{clusterUuid}}/primary-storage/{{primaryStorageUuid}}"
    l2_pair = f"{API}/l2-networks/{{l2NetworkUuid}}/clusters/{{clusterUuid}}"
    return [
        web.put(f"{API}/accounts/login", login),
        web.delete(f"{API}/accounts/sessions/{{uuid}}", logout),
        web.get(f"{API}/accounts/sessions/{{uuid}}/valid", validate_session, allow_head=False),
        web.route("*", f"{API}/api-jobs/{{uuid}}", poll_job),
        web.get(f"{API}/zones", zones, allow_head=False),
        web.post(f"{API}/zones", async_api(OPERATIONS["CreateZone"])),
        web.get(f"{API}/zones/{{uuid}}", zones, allow_head=False),
        web.delete(f"{API}/zones/{{uuid}}", async_api(OPERATIONS["DeleteZone"])),
        web.post(pair, async_api(OPERATIONS["AttachBackupStorageToZone"])),
        web.delete(pair, async_api(OPERATIONS["DetachBackupStorageFromZone"])),
        web.get(f"{API}/backup-storage", backup_storages, allow_head=False),
        web.post(f"{API}/backup-storage/image-store", async_api(OPERATIONS["AddImageStoreBackupStorage"])),
        web.post(f"{API}/backup-storage/sftp", async_api(OPERATIONS["AddSftpBackupStorage"])),
        web.get(f"{API}/backup-storage/{{uuid}}", backup_storages, allow_head=False),
        web.delete(f"{API}/backup-storage/{{uuid}}", async_api(OPERATIONS["DeleteBackupStorage"])),
        web.get(f"{API}/clusters", clusters, allow_head=False),
        web.post(f"{API}/clusters", async_api(OPERATIONS["CreateCluster"])),
        web.get(f"{API}/clusters/{{uuid}}", clusters, allow_head=False),
        web.delete(f"{API}/clusters/{{uuid}}", async_api(OPERATIONS["DeleteCluster"])),
        web.post(ps_pair, async_api(OPERATIONS["AttachPrimaryStorageToCluster"])),
        web.delete(ps_pair, async_api(OPERATIONS["DetachPrimaryStorageFromCluster"])),
        # APIQueryPrimaryStorageMsg has no /primary-storage/{uuid} path: only DELETE is served there.
        web.get(f"{API}/primary-storage", primary_storages, allow_head=False),
        web.delete(f"{API}/primary-storage/{{uuid}}", async_api(OPERATIONS["DeletePrimaryStorage"])),
        web.get(f"{API}/l2-networks", l2_networks, allow_head=False),
        web.get(f"{API}/l2-networks/{{uuid}}", l2_networks, allow_head=False),
        web.delete(f"{API}/l2-networks/{{uuid}}", async_api(OPERATIONS["DeleteL2Network"])),
        web.post(l2_pair, async_api(OPERATIONS["AttachL2NetworkToCluster"])),
        web.delete(l2_pair, async_api(OPERATIONS["DetachL2NetworkFromCluster"])),
    ]
