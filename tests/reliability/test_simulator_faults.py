"""The two simulator faults the reliability suite added: ``clock_skew`` and ``probability``."""

from __future__ import annotations

import pytest
import requests

from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from tests.simulator.zstack import ZStackHttp


@pytest.fixture
def zs(rel_simulator: SimulatorProcess, control: SimulatorControl) -> ZStackHttp:
    return ZStackHttp(rel_simulator.url)


def _zones_with_access_key(zs: ZStackHttp) -> requests.Response:
    return zs.get("/zones", headers=zs.access_key_headers("GET", "/zstack/v1/zones"))


def test_clock_skew_beyond_15_minutes_rejects_access_key_requests(
    zs: ZStackHttp, control: SimulatorControl
) -> None:
    assert _zones_with_access_key(zs).status_code == 200
    control.add_fault(action="clock_skew", seconds=16 * 60, count=1)
    answer = _zones_with_access_key(zs)
    assert (answer.status_code, answer.text) == (403, "requestTimeTooSkewed")
    control.add_fault(action="clock_skew", seconds=-16 * 60, count=1)
    assert _zones_with_access_key(zs).status_code == 403
    control.add_fault(action="clock_skew", seconds=14 * 60, count=1)
    assert _zones_with_access_key(zs).status_code == 200
    assert zs.get("/zones").status_code == 200  # sessions carry no Date: unaffected


def test_clock_skew_needs_seconds(control: SimulatorControl) -> None:
    with pytest.raises(requests.HTTPError):
        control.add_fault(action="clock_skew")


def test_probability_spares_some_requests_without_using_up_the_count(
    zs: ZStackHttp, control: SimulatorControl
) -> None:
    control.add_fault(method="GET", path="/zones$", action="status", status=503, count=-1, probability=0.5)
    statuses = [zs.get("/zones").status_code for _ in range(200)]
    assert set(statuses) == {200, 503}
    assert 40 < statuses.count(503) < 160  # binomial(200, 0.5): outside this range has p < 1e-15
    [fault] = control.faults()
    assert fault["probability"] == 0.5 and fault["count"] == -1
    control.clear_faults()
    control.add_fault(method="GET", path="/zones$", action="status", status=503, count=3, probability=0.5)
    statuses = [zs.get("/zones").status_code for _ in range(200)]
    assert statuses.count(503) == 3


@pytest.mark.parametrize("probability", [0, 1.5, "0.5", True])
def test_probability_must_be_in_0_1(control: SimulatorControl, probability: object) -> None:
    with pytest.raises(requests.HTTPError):
        control.add_fault(action="drop", probability=probability)
