"""Access-key signing against the simulator: no session, every request signed."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest

from pulumi_zstack.client import AuthenticationError, ConfigurationError, ZStackAPIError, ZStackClient
from pulumi_zstack.client._auth import AccessKeyAuth, request_date, sign
from pulumi_zstack.client._endpoint import Endpoint
from pulumi_zstack.client._transport import Transport
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from tests.client.client_support import (
    ACCESS_KEY_ID,
    ACCESS_KEY_SECRET,
    FAST_RETRIES,
    IMAGESTORE_1,
    ZONE_1,
    api_requests,
)

MakeClient = Callable[..., ZStackClient]


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Put this test process in another local time zone (``TZ``), restored afterwards."""

    def put(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield put
    monkeypatch.undo()
    time.tzset()


def test_queries_and_jobs_are_signed(make_client: MakeClient, control: SimulatorControl) -> None:
    with make_client(access_key_id=ACCESS_KEY_ID, access_key_secret=ACCESS_KEY_SECRET) as client:
        assert client.auth_mode == "access-key"
        assert client.zones.get(ZONE_1).name == "zone-1"
        assert client.backup_storage.count(["type=ImageStoreBackupStorage"]) == 1
        client.backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)
    entries = control.requests()
    assert not api_requests(control, path="/accounts/")  # no login, no logout
    assert {e["auth"] for e in entries if "/api-jobs/" not in e["path"]} == {"accesskey"}


def test_wrong_secret(make_client: MakeClient) -> None:
    client = make_client(access_key_id=ACCESS_KEY_ID, access_key_secret="wrong-secret-0000000000")
    with pytest.raises(AuthenticationError) as info:
        client.zones.query()
    assert (info.value.status, info.value.access_key_failure) == (403, "signature")
    assert str(info.value) == "QueryZone failed: HTTP 403: wrong accessKey signature"


def test_unknown_key(make_client: MakeClient) -> None:
    client = make_client(access_key_id="noSuchKey", access_key_secret=ACCESS_KEY_SECRET)
    with pytest.raises(AuthenticationError) as info:
        client.zones.query()
    assert (info.value.status, info.value.access_key_failure) == (403, "unknown_key")
    assert (
        str(info.value) == "QueryZone failed: HTTP 403: access key id: noSuchKey does not existed or disabled"
    )


# Every plain-text refusal of an access key by the REST layer (RestServer.java handleApi and
# checkTime, AccessKeyManager.doAuth).
REFUSALS = [
    (400, "accessKey format is 'ZStack AccessKeyId:Signature'", "malformed"),
    (400, "Invalid authKey format", "malformed"),
    (400, "'Date' must be incuded in request header", "date_missing"),
    (400, "'Date' format error, correct format is 'EEE, dd MMM yyyy HH:mm:ss z'", "date_format"),
    (403, "requestTimeTooSkewed", "clock_skew"),
    (403, "access key id: someKey does not existed or disabled", "unknown_key"),
    (403, "wrong accessKey signature", "signature"),
]


@pytest.mark.parametrize(("status", "text", "failure"), REFUSALS)
def test_every_plain_text_refusal_is_an_authentication_error(
    make_client: MakeClient, control: SimulatorControl, status: int, text: str, failure: str
) -> None:
    control.add_fault(path="/zones", action="status", status=status, body=text)
    client = make_client(access_key_id=ACCESS_KEY_ID, access_key_secret=ACCESS_KEY_SECRET)
    with pytest.raises(AuthenticationError) as info:
        client.zones.query()
    assert (info.value.status, info.value.access_key_failure) == (status, failure)
    # The client masks anything shaped like an Authorization header, the format hint included.
    shown = text.replace("ZStack AccessKeyId:Signature", "ZStack ***")
    assert str(info.value) == f"QueryZone failed: HTTP {status}: {shown}"


def test_other_plain_text_400_is_not_an_authentication_error(
    make_client: MakeClient, control: SimulatorControl
) -> None:
    control.add_fault(
        path="/zones", action="status", status=400, body="Invalid query parameter. 'limit' must be an integer"
    )
    client = make_client(access_key_id=ACCESS_KEY_ID, access_key_secret=ACCESS_KEY_SECRET)
    with pytest.raises(ZStackAPIError) as info:
        client.zones.query()
    assert not isinstance(info.value, AuthenticationError)


def test_a_skewed_clock_is_an_authentication_error(
    simulator: SimulatorProcess, control: SimulatorControl
) -> None:
    auth = AccessKeyAuth(ACCESS_KEY_ID, ACCESS_KEY_SECRET, clock=lambda: 1_000_000_000.0)  # 2001
    transport = Transport(
        Endpoint.parse(simulator.url),
        auth,
        verify=True,
        request_timeout=5,
        retry_policy=FAST_RETRIES,
        user_agent="test",
    )
    with pytest.raises(AuthenticationError) as info:
        transport.request("GET", "/v1/zones", operation="QueryZone")
    assert (info.value.status, info.value.access_key_failure) == (403, "clock_skew")
    assert str(info.value) == "QueryZone failed: HTTP 403: requestTimeTooSkewed"
    transport.close()


# -- the Date's time zone ------------------------------------------------------------------------

NOON_SHANGHAI = 1796187900  # 2026-12-02T05:05:00Z


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        # Formatted by hand from java.time's ZonedDateTime.ofInstant for each zone.
        ("Asia/Shanghai", "Wed, 02 Dec 2026 13:05:00 GMT+08:00"),
        ("UTC", "Wed, 02 Dec 2026 05:05:00 GMT"),
        ("America/New_York", "Wed, 02 Dec 2026 00:05:00 GMT-05:00"),
        ("Asia/Kolkata", "Wed, 02 Dec 2026 10:35:00 GMT+05:30"),
    ],
)
def test_the_date_is_the_wall_time_in_the_time_zone_with_its_offset(zone: str, expected: str) -> None:
    assert request_date(NOON_SHANGHAI, ZoneInfo(zone)) == expected


def test_the_date_defaults_to_the_machines_zone(machine_zone: Callable[[str], None]) -> None:
    machine_zone("Asia/Shanghai")
    assert request_date(NOON_SHANGHAI, None) == "Wed, 02 Dec 2026 13:05:00 GMT+08:00"
    machine_zone("UTC")
    assert request_date(NOON_SHANGHAI, None) == "Wed, 02 Dec 2026 05:05:00 GMT"


def test_the_signature_is_the_nodes_hmac_sha1() -> None:
    # Computed with javax.crypto.Mac "HmacSHA1" as AccessKeyManager.doAuth does.
    date = "Wed, 02 Dec 2026 13:05:00 GMT+08:00"
    assert sign("key", "GET", date, "/v1/zones/abc") == "rCKt/BfA7SFdOBDirY7cBpOvAa8="


@pytest.fixture(scope="module")
def shanghai_node() -> Iterator[SimulatorProcess]:
    """A management node whose local zone is Asia/Shanghai (rest.checkTimeZone = false)."""
    with SimulatorProcess(job_delay=0.05, time_zone="Asia/Shanghai") as process:
        yield process


@pytest.fixture(scope="module")
def checking_shanghai_node() -> Iterator[SimulatorProcess]:
    """The same with rest.checkTimeZone = true."""
    with SimulatorProcess(job_delay=0.05, time_zone="Asia/Shanghai", check_time_zone=True) as process:
        yield process


def test_the_nodes_time_zone_is_accepted(make_client: MakeClient, shanghai_node: SimulatorProcess) -> None:
    client = make_client(
        endpoint=shanghai_node.url,
        access_key_id=ACCESS_KEY_ID,
        access_key_secret=ACCESS_KEY_SECRET,
        time_zone="Asia/Shanghai",
    )
    assert client.zones.get(ZONE_1).name == "zone-1"


def test_utc_wall_time_on_a_shanghai_node_is_too_skewed(
    make_client: MakeClient, shanghai_node: SimulatorProcess, machine_zone: Callable[[str], None]
) -> None:
    machine_zone("UTC")
    for time_zone in ("UTC", None):  # explicit, and the default on a machine in UTC
        client = make_client(
            endpoint=shanghai_node.url,
            access_key_id=ACCESS_KEY_ID,
            access_key_secret=ACCESS_KEY_SECRET,
            time_zone=time_zone,
        )
        with pytest.raises(AuthenticationError) as info:
            client.zones.query()
        assert (info.value.status, info.value.access_key_failure) == (403, "clock_skew")


@pytest.mark.parametrize("time_zone", ["UTC", "America/New_York", "Asia/Shanghai"])
def test_any_zone_works_where_the_node_compares_instants(
    make_client: MakeClient, checking_shanghai_node: SimulatorProcess, time_zone: str
) -> None:
    client = make_client(
        endpoint=checking_shanghai_node.url,
        access_key_id=ACCESS_KEY_ID,
        access_key_secret=ACCESS_KEY_SECRET,
        time_zone=time_zone,
    )
    assert client.zones.get(ZONE_1).name == "zone-1"


def test_an_unknown_time_zone_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError) as info:
        ZStackClient("http://127.0.0.1:9", access_key_id="i", access_key_secret="s", time_zone="Mars/Olympus")
    assert str(info.value) == (
        "time_zone 'Mars/Olympus' is not an IANA time zone name such as Asia/Shanghai "
        "(parameter time_zone, env ZSTACK_TIME_ZONE)"
    )


def test_from_env_reads_the_time_zone(shanghai_node: SimulatorProcess) -> None:
    env = {
        "ZSTACK_ENDPOINT": shanghai_node.url,
        "ZSTACK_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "ZSTACK_ACCESS_KEY_SECRET": ACCESS_KEY_SECRET,
        "ZSTACK_TIME_ZONE": "Asia/Shanghai",
    }
    with ZStackClient.from_env(env) as client:
        assert client.zones.get(ZONE_1).name == "zone-1"
