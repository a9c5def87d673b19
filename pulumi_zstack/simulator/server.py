"""The aiohttp application of the simulator and its lifecycle.

:func:`create_app` assembles the ZStack API (:mod:`.api`) and the control plane
(:mod:`.control`) around one :class:`~pulumi_zstack.simulator.state.Simulator`.
On start-up jobs left running by a previous process are rescheduled; while it
runs, finished jobs past ``job_expiry`` are swept every second.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator

from aiohttp import web

from pulumi_zstack.simulator.api import api_routes, observe
from pulumi_zstack.simulator.control import control_routes
from pulumi_zstack.simulator.state import SIMULATOR, Simulator


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    """Resume left-over jobs, sweep expired ones while serving, close the store at the end."""
    sim = app[SIMULATOR]
    sim.jobs.resume()

    async def sweep() -> None:
        interval = max(0.1, min(1.0, sim.config.job_expiry / 2))
        while True:
            await asyncio.sleep(interval)
            sim.jobs.expire()

    task = asyncio.create_task(sweep())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    sim.close()


class _SpringPathRouter(web.UrlDispatcher):
    """Routes a path with empty segments as if they were absent (``/v1/zones//<uuid>`` is
    ``/v1/zones/<uuid>``), as the node does: ``RestServer.getMatchPath`` matches with Spring's
    ``AntPathMatcher``, which drops empty path tokens (``rest/.../RestServer.java``). The request
    keeps the path it was sent with (in the log and in an access-key signature)."""

    async def resolve(self, request: web.Request) -> web.UrlMappingMatchInfo:
        path = request.rel_url.path
        if "//" in path:
            request = request.clone(rel_url=request.rel_url.with_path(re.sub("/{2,}", "/", path)))
        return await super().resolve(request)


def create_app(sim: Simulator) -> web.Application:
    """The aiohttp application serving ``sim``."""
    app = web.Application(router=_SpringPathRouter(), middlewares=[observe])
    app[SIMULATOR] = sim
    app.add_routes(api_routes())
    app.add_routes(control_routes())
    app.cleanup_ctx.append(_lifecycle)
    return app
