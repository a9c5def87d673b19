"""Fixtures of the reliability suite (issue 5) and the generator of ``docs/reliability.md``.

Every scenario records a row ``(area, fault, expected, observed)`` through the ``matrix`` fixture;
the observed column is built from what the run measured (messages, request and job counts).
With ``PULUMI_ZSTACK_RELIABILITY_REPORT=1`` (``make reliability``) the session writes the table,
with each row's pass/fail outcome, into ``docs/reliability.md``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from scripts.engine import REPO
from tests.conftest import reset_control
from tests.reliability import report

# Extra objects of the reliability seed (the default seed's zones and storages are kept).
ZONE_3_UUID = "a3a3a3a3b4b4c5c5d6d6e7e7f8f80303"
ZONE_4_UUID = "a4a4a4a4b4b4c5c5d6d6e7e7f8f80404"
IMAGESTORE_2_UUID = "b2b2b2b2c3c3d4d4e5e5f6f6a7a70202"

JOB_DELAY = 0.05


def reliability_seed() -> dict[str, Any]:
    """The default seed plus two zones and a storage, with nothing attached: every attachment the
    simulator holds belongs to the stack under test."""
    seed = json.loads(files("pulumi_zstack.simulator").joinpath("default_seed.json").read_text())
    for bs in seed["backupStorages"]:
        bs["attachedZoneUuids"] = []
    seed["zones"] += [
        {"uuid": ZONE_3_UUID, "name": "zone-3"},
        {"uuid": ZONE_4_UUID, "name": "zone-4"},
    ]
    seed["backupStorages"].append(
        {
            "uuid": IMAGESTORE_2_UUID,
            "name": "imagestore-2",
            "type": "ImageStoreBackupStorage",
            "url": "/zstack_bs2",
            "hostname": "192.168.100.12",
            "totalCapacity": 2199023255552,
            "availableCapacity": 2000000000000,
        }
    )
    return seed


def write_seed(directory: Path, seed: dict[str, Any]) -> Path:
    path = directory / "seed.json"
    path.write_text(json.dumps(seed))
    return path


@pytest.fixture(scope="session")
def rel_simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorProcess]:
    """The simulator shared by the reliability scenarios (short jobs, the reliability seed)."""
    seed = write_seed(tmp_path_factory.mktemp("rel-seed"), reliability_seed())
    with SimulatorProcess(job_delay=JOB_DELAY, seed=seed) as process:
        yield process


@pytest.fixture
def control(rel_simulator: SimulatorProcess) -> Iterator[SimulatorControl]:
    """The shared simulator's control plane, reset to the reliability seed before each test."""
    yield from reset_control(rel_simulator.url)


# -- the matrix -----------------------------------------------------------------------------------


@dataclass
class Row:
    area: str
    fault: str
    expected: str
    observed: list[str] = field(default_factory=list)
    nodeid: str = ""


_ROWS: list[Row] = []
_OUTCOMES: dict[str, str] = {}


class Matrix:
    """What a scenario records: one row per fault, observations appended as they are made."""

    def __init__(self, nodeid: str) -> None:
        self._nodeid = nodeid
        self.row: Row | None = None

    def __call__(self, area: str, fault: str, expected: str) -> Callable[[str], None]:
        self.row = Row(area, fault, expected, nodeid=self._nodeid)
        _ROWS.append(self.row)
        return self.observe

    def observe(self, text: str) -> None:
        assert self.row is not None, "call matrix(area, fault, expected) first"
        self.row.observed.append(text)


@pytest.fixture
def matrix(request: pytest.FixtureRequest) -> Matrix:
    return Matrix(request.node.nodeid)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    rep = yield
    if rep.when == "call" or (rep.when == "setup" and not rep.passed):
        _OUTCOMES[item.nodeid] = "pass" if rep.passed else ("skipped" if rep.skipped else "FAIL")
    return rep


def _full_run(session: pytest.Session) -> bool:
    """Whether every scenario of the matrix ran: no ``-k``/``-m``, no node ids, none deselected."""
    option = session.config.option
    if option.keyword or option.markexpr or getattr(option, "lf", False) or session.shouldstop:
        return False
    suite = (REPO / "tests" / "reliability").resolve()
    if any(Path(arg).resolve() != suite for arg in session.config.args):
        return False
    return bool(_OUTCOMES) and len(_OUTCOMES) == session.testscollected


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("PULUMI_ZSTACK_RELIABILITY_REPORT") != "1" or not _ROWS:
        return
    if not _full_run(session):
        print("\ndocs/reliability.md left unchanged: only a full run of tests/reliability rewrites it")
        return
    rows = [
        report.ReportRow(r.area, r.fault, r.expected, r.observed, _OUTCOMES.get(r.nodeid, "not run"))
        for r in _ROWS
    ]
    target = REPO / "docs" / "reliability.md"
    target.write_text(report.render(rows, session_seconds=report.elapsed(), source=report.described(REPO)))
