"""The state of one running simulator, shared by the API and control-plane routes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aiohttp import web

from pulumi_zstack.simulator.faults import FaultRegistry
from pulumi_zstack.simulator.jobs import JobRunner
from pulumi_zstack.simulator.recorder import Recorder
from pulumi_zstack.simulator.seed import Seed
from pulumi_zstack.simulator.store import Store
from pulumi_zstack.simulator.wire import set_node_time_zone


@dataclass(frozen=True)
class SimulatorConfig:
    """Options of a simulator instance (see ``python -m pulumi_zstack.simulator --help``)."""

    db: str = ":memory:"
    job_delay: float = 0.5
    session_timeout: float = 7200.0
    # rest.completedApi.expiredPeriod (conf/globalConfig/rest.xml): 10800 s.
    job_expiry: float = 10800.0
    max_sessions: int = 500
    #: Language of error details: ``en_US`` or ``zh_CN`` (a real node's default), see ``i18n``.
    locale: str = "en_US"
    #: The node's local time zone (an IANA name): inventory dates, and the access-key Date check.
    time_zone: str = "UTC"
    #: ``rest.checkTimeZone``: compare the access-key Date as an instant rather than as wall time.
    check_time_zone: bool = False
    query_latency: float = 0.0


class Simulator:
    """The state shared by all routes of one running simulator."""

    def __init__(self, config: SimulatorConfig, seed: Seed) -> None:
        self.config = config
        self.seed = seed
        self.time_zone = ZoneInfo(config.time_zone)
        set_node_time_zone(self.time_zone)
        self.store = Store(config.db)
        if not self.store.is_seeded():
            self.store.load_seed(seed, time.time())
        self.jobs = JobRunner(self.store, config.job_expiry, config.locale)
        self.faults = FaultRegistry()
        self.recorder = Recorder()
        #: Base of job locations, e.g. ``http://127.0.0.1:8080``; None: the Host the client used.
        self.base_url: str | None = None

    def reset(self) -> None:
        """Back to the seed: no sessions, jobs, faults or log."""
        self.jobs.cancel_all()
        self.store.load_seed(self.seed, time.time())
        self.faults.clear()
        self.recorder.clear()

    def close(self) -> None:
        self.jobs.cancel_all()
        self.store.close()


SIMULATOR = web.AppKey("simulator", Simulator)
