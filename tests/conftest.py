"""Fixtures shared by every test layer: a real simulator process on a free loopback port."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import pytest

from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess


@pytest.fixture(autouse=True)
def _no_ambient_zstack_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests must not pick up a developer's real ZSTACK_* credentials."""
    for name in list(os.environ):
        if name.startswith("ZSTACK_"):
            monkeypatch.delenv(name)


PROFILES: dict[str, dict[str, Any]] = {
    # The simulator's defaults: English details.
    "default": {},
    # A management node as installed: error details in zh_CN (CoreGlobalProperty.LOCALE).
    "realistic": {"locale": "zh_CN"},
}
"""Simulator options of the two profiles the provider-host and engine suites run against."""


@pytest.fixture(scope="session", params=list(PROFILES))
def profile_simulator(request: pytest.FixtureRequest) -> Iterator[SimulatorProcess]:
    """A simulator of each profile in :data:`PROFILES` (tests using it run once per profile)."""
    with SimulatorProcess(job_delay=0.05, **PROFILES[request.param]) as process:
        yield process


@pytest.fixture(scope="session")
def simulator() -> Iterator[SimulatorProcess]:
    """One simulator for the session, with short jobs; tests reset it through ``sim``."""
    with SimulatorProcess(job_delay=0.05) as process:
        yield process


def reset_control(url: str, *, clear_faults: bool = True) -> Iterator[SimulatorControl]:
    """For a fixture to ``yield from``: the control plane of the simulator at ``url``, reset to its
    seed before the test; afterwards its faults are cleared (unless ``clear_faults=False``) and it
    is closed."""
    control = SimulatorControl(url)
    control.reset()
    yield control
    if clear_faults:
        control.clear_faults()
    control.close()


@pytest.fixture
def sim(simulator: SimulatorProcess) -> SimulatorControl:
    """The shared simulator, reset to its default seed, faults cleared."""
    control = SimulatorControl(simulator.url)
    control.reset()
    return control


DISTINCT_PASSWORD = "Zs-9f3c-e2e-Pa55w0rd"
"""Admin password of ``secret_simulator``: unlike the factory ``password`` it cannot occur by chance,
so a test can grep state, output and logs for it."""


@pytest.fixture(scope="session")
def secret_simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorProcess]:
    """A simulator whose admin password is :data:`DISTINCT_PASSWORD`."""
    seed = json.loads(files("pulumi_zstack.simulator").joinpath("default_seed.json").read_text())
    seed["accounts"][0]["password"] = DISTINCT_PASSWORD
    path = tmp_path_factory.mktemp("seed") / "seed.json"
    path.write_text(json.dumps(seed))
    with SimulatorProcess(job_delay=0.05, seed=path) as process:
        yield process
