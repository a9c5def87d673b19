"""The provider-host suite runs against every simulator profile (``tests.conftest.PROFILES``)."""

from __future__ import annotations

import pytest

from pulumi_zstack.simulator.process import SimulatorProcess


@pytest.fixture(scope="session")
def simulator(profile_simulator: SimulatorProcess) -> SimulatorProcess:
    return profile_simulator
