"""Fixtures shared by every test layer: a real simulator process on a free loopback port."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import pytest

from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import ACCESS_KEY_ID, ACCESS_KEY_SECRET, ADMIN_ACCOUNT, ADMIN_PASSWORD

# The tests run in UTC whatever the machine's zone, so that a simulator told to be on another
# zone (the realistic profile: Asia/Shanghai) really differs from the client's local zone.
os.environ["TZ"] = "UTC"
time.tzset()


@pytest.fixture(autouse=True)
def _no_ambient_zstack_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests must not pick up a developer's real ZSTACK_* credentials."""
    for name in list(os.environ):
        if name.startswith("ZSTACK_"):
            monkeypatch.delenv(name)


@dataclass(frozen=True)
class Profile:
    """A kind of management node the provider-host and engine suites run against.

    ``simulator`` holds its :class:`SimulatorProcess` options; ``settings`` the ``zstack:*``
    provider settings (without ``endpoint``) a stack against such a node uses.
    """

    name: str
    simulator: dict[str, Any]
    settings: dict[str, str]


PROFILES = (
    # The simulator's defaults (English details, UTC) and an account.
    Profile("default", {}, {"accountName": ADMIN_ACCOUNT, "accountPassword": ADMIN_PASSWORD}),
    # A management node as installed in China: error details in zh_CN (CoreGlobalProperty.LOCALE),
    # its clock on Asia/Shanghai, rest.checkTimeZone false; an access key, the node's zone set as
    # zstack:timeZone, while the tests themselves run in UTC (see TZ above).
    Profile(
        "realistic",
        {"locale": "zh_CN", "time_zone": "Asia/Shanghai"},
        {"accessKeyId": ACCESS_KEY_ID, "accessKeySecret": ACCESS_KEY_SECRET, "timeZone": "Asia/Shanghai"},
    ),
)


@pytest.fixture(scope="session", params=PROFILES, ids=lambda p: p.name)
def profile(request: pytest.FixtureRequest) -> Profile:
    """Each profile of :data:`PROFILES` in turn: a test using it runs once per profile."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def profile_simulator(profile: Profile) -> Iterator[SimulatorProcess]:
    """A simulator of the current :func:`profile`."""
    with SimulatorProcess(job_delay=0.05, **profile.simulator) as process:
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
