"""Fixtures: one simulator process for the whole session, reset before each test.

The client talks real HTTP to it; faults are injected through its control plane.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pulumi_zstack.client import ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from tests.client.client_support import FAST_RETRIES


@pytest.fixture(scope="session")
def simulator() -> Iterator[SimulatorProcess]:
    with SimulatorProcess(job_delay=0.05) as sim:
        yield sim


@pytest.fixture(scope="session")
def _control(simulator: SimulatorProcess) -> Iterator[SimulatorControl]:
    control = SimulatorControl(simulator.url)
    yield control
    control.close()


@pytest.fixture
def control(_control: SimulatorControl) -> SimulatorControl:
    """The simulator's control plane, after a reset to the seed (no sessions, jobs, faults or log)."""
    _control.reset()
    return _control


@pytest.fixture
def make_client(
    simulator: SimulatorProcess, control: SimulatorControl
) -> Iterator[Callable[..., ZStackClient]]:
    """Build clients of the simulator (admin/password unless told otherwise), closed after the test."""
    clients: list[ZStackClient] = []

    def make(**kwargs: Any) -> ZStackClient:
        if "access_key_id" not in kwargs:
            kwargs.setdefault("account_name", "admin")
            kwargs.setdefault("account_password", "password")
        kwargs.setdefault("retry_policy", FAST_RETRIES)
        client = ZStackClient(kwargs.pop("endpoint", simulator.url), **kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., ZStackClient]) -> ZStackClient:
    return make_client()
