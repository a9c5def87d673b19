"""Fixtures of the simulator protocol tests: one simulator process for the session, reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from tests.conftest import reset_control
from tests.simulator.zstack import ZStackHttp

JOB_DELAY = 0.05


@pytest.fixture(scope="session")
def sim_process() -> Iterator[SimulatorProcess]:
    """The shared simulator, with short jobs."""
    with SimulatorProcess(job_delay=JOB_DELAY) as process:
        yield process


@pytest.fixture
def control(sim_process: SimulatorProcess) -> Iterator[SimulatorControl]:
    """The control plane of the shared simulator, reset to the default seed before the test."""
    yield from reset_control(sim_process.url, clear_faults=False)


@pytest.fixture
def zs(sim_process: SimulatorProcess, control: SimulatorControl) -> ZStackHttp:
    """The ZStack API of the freshly reset shared simulator."""
    return ZStackHttp(sim_process.url)
