"""Access-key signing against the simulator: no session, every request signed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pulumi_zstack.client import AuthenticationError, ZStackClient
from pulumi_zstack.client._http import AccessKeyAuth, Endpoint, Transport
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
    assert info.value.code == "ID.1000"
    assert info.value.status == 401
    assert "wrong-secret" not in str(info.value)


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
    assert info.value.status == 403
    assert str(info.value) == "QueryZone failed: HTTP 403: requestTimeTooSkewed"
    transport.close()
