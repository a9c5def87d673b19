"""The access-key ``Date`` check of a node whose local zone is Asia/Shanghai, in both modes.

Every expected value is fixed and comes from outside the simulator: the accepted labels, the
instants they stand for and the refused texts were obtained by running the node's own parser
(``RestServer``'s ``DateTimeFormatter``, pattern ``EEE, dd MMM yyyy HH:mm:ss z``, ``Locale.ENGLISH``,
parsed with ``ZonedDateTime.parse``) on OpenJDK 17 with ``-Djava.locale.providers=COMPAT`` (the
JRE locale data, JDK 8's default); signatures were computed with ``javax.crypto.Mac`` ``HmacSHA1``
as ``AccessKeyManager.doAuth`` does. The node's clock is pinned to a known instant with a
``clock_skew`` fault.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests

from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import ACCESS_KEY_ID
from tests.simulator.zstack import ZStackHttp

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON_SHANGHAI = 1796187900  # 2026-12-02T05:05:00Z: Wed, 02 Dec 2026 13:05:00 in Asia/Shanghai
DATE_FORMAT_ERROR = "'Date' format error, correct format is 'EEE, dd MMM yyyy HH:mm:ss z'"

# Dates a client may send for NOON_SHANGHAI, signed for GET /v1/zones with the seed's secret.
SIGNED = {
    # this client: Shanghai wall time, labelled with its exact offset
    "Wed, 02 Dec 2026 13:05:00 GMT+08:00": "Q5WckZsWPoeCSDNDLUwdKW1d6AI=",
    # a client on UTC wall time (the client before it had a time zone setting)
    "Wed, 02 Dec 2026 05:05:00 GMT": "BIWzrziJOicsjC6fJqgU4MRjM/Y=",
    # the Go SDK in Asia/Shanghai: Go's abbreviation, which Java reads as America/Chicago
    "Wed, 02 Dec 2026 13:05:00 CST": "yLIoANqU/m4Eq2fwCPFDufd0f9w=",
    # the Java SDK (pattern ``VV``) in Asia/Shanghai
    "Wed, 02 Dec 2026 13:05:00 Asia/Shanghai": "a8kvxzvEJbfK6YtMCQExI74Uruk=",
    # the Go SDK in Europe/Berlin
    "Wed, 02 Dec 2026 06:05:00 CET": "53wD4s7IqOPZloGGhxCbtMoLqh8=",
    # the Go SDK in a zone whose abbreviation is numeric (Asia/Singapore): Java refuses it
    "Wed, 02 Dec 2026 13:05:00 +08": "319Y08bS73mRWJ7Ol143DO9zeE8=",
}

# (Date, its instant, the instant at which a node in Asia/Shanghai has the Date's wall time).
ACCEPTED = [
    ("Wed, 01 Jul 2026 12:00:00 GMT", 1782907200, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 UTC", 1782907200, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 UT", 1782907200, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 Z", 1782907200, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 GMT0", 1782907200, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 GMT+08:00", 1782878400, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 gmt+08:00", 1782878400, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 UTC+08:00", 1782878400, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 UT+01:00", 1782903600, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 GMT-05:00", 1782925200, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 GMT+08:00:30", 1782878370, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 +08:00", 1782878400, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 -00:00", 1782907200, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 +08:00:00", 1782878400, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 CST", 1782925200, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 CDT", 1782925200, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 CET", 1782900000, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 CEST", 1782900000, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 EST", 1782921600, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 PST", 1782932400, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 JST", 1782874800, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 MSK", 1782896400, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 HST", 1782943200, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 Asia/Shanghai", 1782878400, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 asia/shanghai", 1782878400, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 PRC", 1782878400, 1782878400),
    ("Wed, 01 Jul 2026 12:00:00 Europe/Berlin", 1782900000, 1782878400),
    ("wed, 01 jul 2026 12:00:00 gmt", 1782907200, 1782878400),
    ("Wed, 02 Dec 2026 24:00:00 GMT", 1796256000, 1796227200),
    ("Mon, 31 Nov 2026 13:05:00 GMT", 1796043900, 1796015100),
    ("Sun, 30 Feb 2027 10:00:00 GMT", 1803808800, 1803780000),
    ("Tue, 29 Feb 2028 10:00:00 GMT", 1835431200, 1835402400),
    ("Sun, 08 Mar 2026 02:30:00 America/New_York", 1772955000, 1772911800),
    ("Sun, 01 Nov 2026 01:30:00 America/New_York", 1793511000, 1793467800),
    ("Wed, 02 Dec 2026 13:05:00 CST", 1796238300, 1796187900),
    ("Wed, 02 Dec 2026 13:05:00 CET", 1796213100, 1796187900),
]

REFUSED = [
    "Wed, 01 Jul 2026 12:00:00 GMT+8",
    "Wed, 01 Jul 2026 12:00:00 GMT+0800",
    "Wed, 01 Jul 2026 12:00:00 GMT+08",
    "Wed, 01 Jul 2026 12:00:00 +08",
    "Wed, 01 Jul 2026 12:00:00 +0800",
    "Wed, 01 Jul 2026 12:00:00 UTC0",
    "Wed, 01 Jul 2026 12:00:00 UTC+8",
    "Wed, 01 Jul 2026 12:00:00 GMT+24:00",
    "Wed, 01 Jul 2026 12:00:00 GMTZ",
    "Wed, 01 Jul 2026 12:00:00 GMT0+08:00",
    "Wed, 01 Jul 2026 12:00:00 XYZ",
    "Wed, 01 Jul 2026 12:00:00 China Standard Time",
    "Wed, 01 Jul 2026 12:00:00 Etc/GMT-8",
    "Thu, 02 Dec 2026 13:05:00 GMT",
    "Wed, 31 Nov 2026 13:05:00 GMT",
    "Wed, 2 Dec 2026 13:05:00 GMT",
    "Wed,  02 Dec 2026 13:05:00 GMT",
    "Wed, 02 Dec 26 13:05:00 GMT",
    "Wednesday, 02 Dec 2026 13:05:00 GMT",
    "Wed, 02 December 2026 13:05:00 GMT",
    "Wed, 02 Dec 2026 13:5:00 GMT",
    "Wed, 02 Dec 2026 13:05 GMT",
    "Wed, 02 Dec 2026 24:00:01 GMT",
    "Wed, 00 Dec 2026 13:05:00 GMT",
    "Wed, 32 Dec 2026 13:05:00 GMT",
    "Sat, 01 Jan 0000 00:00:00 GMT",
    "Wed, 02 Dec 2026 13:05:60 GMT",
    "Wed, 02 Dec 2026 13:05:00",
    "Wed, 02 Dec 2026T13:05:00 GMT",
]


@pytest.fixture(scope="module")
def wall_clock_node() -> Iterator[SimulatorProcess]:
    """A node in Asia/Shanghai with the default ``rest.checkTimeZone = false``."""
    with SimulatorProcess(job_delay=0.05, time_zone="Asia/Shanghai") as process:
        yield process


@pytest.fixture(scope="module")
def instant_node() -> Iterator[SimulatorProcess]:
    """A node in Asia/Shanghai with ``rest.checkTimeZone = true``."""
    with SimulatorProcess(job_delay=0.05, time_zone="Asia/Shanghai", check_time_zone=True) as process:
        yield process


def _answer(node: SimulatorProcess, date: str, signature: str, *, node_time: float) -> tuple[int, str]:
    """GET /v1/zones with this Date and signature while the node's clock reads ``node_time``."""
    control = SimulatorControl(node.url)
    control.clear_faults()
    control.add_fault(action="clock_skew", seconds=node_time - time.time(), count=1)
    response = requests.get(
        f"{node.url}/zstack/v1/zones",
        headers={"Date": date, "Authorization": f"ZStack {ACCESS_KEY_ID}:{signature}"},
        timeout=10,
    )
    control.close()
    if response.ok:
        return response.status_code, "ok"
    assert response.headers["Content-Type"].startswith("text/plain")
    return response.status_code, response.text


WALL_CLOCK_OUTCOMES = {
    "Wed, 02 Dec 2026 13:05:00 GMT+08:00": (200, "ok"),
    "Wed, 02 Dec 2026 05:05:00 GMT": (403, "requestTimeTooSkewed"),
    "Wed, 02 Dec 2026 13:05:00 CST": (200, "ok"),
    "Wed, 02 Dec 2026 13:05:00 Asia/Shanghai": (200, "ok"),
    "Wed, 02 Dec 2026 06:05:00 CET": (403, "requestTimeTooSkewed"),
    "Wed, 02 Dec 2026 13:05:00 +08": (400, DATE_FORMAT_ERROR),
}

INSTANT_OUTCOMES = {
    "Wed, 02 Dec 2026 13:05:00 GMT+08:00": (200, "ok"),
    "Wed, 02 Dec 2026 05:05:00 GMT": (200, "ok"),
    "Wed, 02 Dec 2026 13:05:00 CST": (403, "requestTimeTooSkewed"),
    "Wed, 02 Dec 2026 13:05:00 Asia/Shanghai": (200, "ok"),
    "Wed, 02 Dec 2026 06:05:00 CET": (200, "ok"),
    "Wed, 02 Dec 2026 13:05:00 +08": (400, DATE_FORMAT_ERROR),
}


@pytest.mark.parametrize("date", list(SIGNED))
def test_without_time_zone_check_the_wall_time_must_be_the_nodes(
    wall_clock_node: SimulatorProcess, date: str
) -> None:
    answer = _answer(wall_clock_node, date, SIGNED[date], node_time=NOON_SHANGHAI)
    assert answer == WALL_CLOCK_OUTCOMES[date]


@pytest.mark.parametrize("date", list(SIGNED))
def test_with_time_zone_check_the_instant_must_be_right(instant_node: SimulatorProcess, date: str) -> None:
    answer = _answer(instant_node, date, SIGNED[date], node_time=NOON_SHANGHAI)
    assert answer == INSTANT_OUTCOMES[date]


@pytest.mark.parametrize("minutes", [14, -14])
def test_fourteen_minutes_either_way_are_accepted(wall_clock_node: SimulatorProcess, minutes: int) -> None:
    date = "Wed, 02 Dec 2026 13:05:00 GMT+08:00"
    answer = _answer(wall_clock_node, date, SIGNED[date], node_time=NOON_SHANGHAI + minutes * 60)
    assert answer == (200, "ok")


@pytest.mark.parametrize("minutes", [16, -16])
def test_sixteen_minutes_either_way_are_too_skewed(wall_clock_node: SimulatorProcess, minutes: int) -> None:
    date = "Wed, 02 Dec 2026 13:05:00 GMT+08:00"
    answer = _answer(wall_clock_node, date, SIGNED[date], node_time=NOON_SHANGHAI + minutes * 60)
    assert answer == (403, "requestTimeTooSkewed")


@pytest.mark.parametrize(("date", "instant", "shanghai_wall_time"), ACCEPTED)
def test_java_accepted_dates_are_read_as_java_reads_them(
    wall_clock_node: SimulatorProcess,
    instant_node: SimulatorProcess,
    date: str,
    instant: int,
    shanghai_wall_time: int,
) -> None:
    # The Date is checked before the key, so a parsed, timely Date meets the signature check.
    wrong = "AAAAAAAAAAAAAAAAAAAAAAAAAAA="
    signature_refused = (403, "wrong accessKey signature")
    assert _answer(instant_node, date, wrong, node_time=instant) == signature_refused
    for off in (16 * 60, -16 * 60):
        assert _answer(instant_node, date, wrong, node_time=instant + off) == (403, "requestTimeTooSkewed")
    assert _answer(wall_clock_node, date, wrong, node_time=shanghai_wall_time) == signature_refused
    assert _answer(wall_clock_node, date, wrong, node_time=shanghai_wall_time + 16 * 60) == (
        403,
        "requestTimeTooSkewed",
    )


@pytest.mark.parametrize("date", REFUSED)
def test_java_refused_dates_are_format_errors(instant_node: SimulatorProcess, date: str) -> None:
    assert _answer(instant_node, date, "AAAA", node_time=NOON_SHANGHAI) == (400, DATE_FORMAT_ERROR)


def _gson(epoch: float) -> str:
    """Gson's Java 8 default date text of ``epoch`` in Asia/Shanghai: ``Dec 2, 2026 1:05:00 PM``."""
    t = datetime.fromtimestamp(epoch, SHANGHAI)
    return f"{t:%b} {t.day}, {t.year} {t.hour % 12 or 12}:{t:%M:%S} {'AM' if t.hour < 12 else 'PM'}"


def test_inventory_and_session_dates_are_the_nodes_wall_time(wall_clock_node: SimulatorProcess) -> None:
    before = int(time.time())
    SimulatorControl(wall_clock_node.url).reset()
    zs = ZStackHttp(wall_clock_node.url)
    session = zs.login_response().json()["inventory"]
    zones = zs.get("/zones").json()["inventories"]
    written = {_gson(t) for t in range(before, int(time.time()) + 1)}
    assert session["createDate"] in written
    assert {zone["createDate"] for zone in zones} <= written


def test_date_conditions_are_read_in_the_nodes_zone(wall_clock_node: SimulatorProcess) -> None:
    """``Timestamp.valueOf`` reads a condition as the node's wall time (Shanghai, not UTC)."""
    seeded = time.time()
    SimulatorControl(wall_clock_node.url).reset()
    zs = ZStackHttp(wall_clock_node.url)
    minute_before = datetime.fromtimestamp(seeded - 60, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    hour_after = datetime.fromtimestamp(seeded + 3600, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    assert len(zs.get("/zones", q=f"createDate>={minute_before}").json()["inventories"]) == 2
    assert zs.get("/zones", q=f"createDate>={hour_after}").json()["inventories"] == []
