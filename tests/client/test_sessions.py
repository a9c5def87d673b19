"""Account sessions against the simulator: login, sharing, re-login, logout."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from pulumi_zstack.client import AuthenticationError, ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl
from tests.client.client_support import IMAGESTORE_1, ZONE_1, api_requests, logins

MakeClient = Callable[..., ZStackClient]


def test_login_on_first_call_and_logout_on_close(make_client: MakeClient, control: SimulatorControl) -> None:
    with make_client() as client:
        assert [z.name for z in client.zones.query(sort="+name")] == ["zone-1", "zone-2"]
        client.backup_storage.query()
    assert [(e["method"], e["path"]) for e in control.requests()] == [
        ("PUT", "/zstack/v1/accounts/login"),
        ("GET", "/zstack/v1/zones"),
        ("GET", "/zstack/v1/backup-storage"),
        ("DELETE", "/zstack/v1/accounts/sessions/<redacted>"),
    ]
    assert control.stats()["activeSessions"] == 0


def test_explicit_login_and_logout(client: ZStackClient, control: SimulatorControl) -> None:
    client.login()
    client.login()
    assert logins(control) == 1
    client.logout()
    client.logout()  # nothing left to end
    assert len(api_requests(control, "DELETE", "/accounts/sessions/")) == 1
    client.zones.count()  # logs in again
    assert logins(control) == 2


def test_wrong_password(make_client: MakeClient) -> None:
    client = make_client(account_password="not-the-password")
    with pytest.raises(AuthenticationError) as info:
        client.zones.query()
    assert info.value.code == "ID.1000"
    assert info.value.operation == "LogInByAccount"
    assert str(info.value) == (
        "LogInByAccount failed: ID.1000 Unable to authenticate a user: wrong account name or password"
    )


def test_expired_session_is_renewed_once_for_a_query(client: ZStackClient, control: SimulatorControl) -> None:
    client.zones.count()
    control.expire_sessions()
    assert client.zones.count() == 2
    assert logins(control) == 2
    assert [e["status"] for e in api_requests(control, "GET", "/zones")] == [200, 503, 200]


def test_expired_session_on_an_async_call_resubmits_with_a_new_job(
    client: ZStackClient, control: SimulatorControl
) -> None:
    client.zones.count()
    control.expire_sessions()
    inventory = client.backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)
    assert inventory.attached_zone_uuids == [ZONE_1]
    submits = api_requests(control, "POST", "/backup-storage/")
    assert len(submits) == 2
    assert submits[0]["jobUuid"] != submits[1]["jobUuid"]
    assert [job["status"] for job in control.jobs()] == ["failed", "succeeded"]
    assert len(control.attachments()) == 2  # the seed's sftp-1/zone-2 and ours
    assert logins(control) == 2


def test_a_session_that_stays_invalid_is_reported(client: ZStackClient, control: SimulatorControl) -> None:
    control.add_fault(method="GET", path="/v1/zones$", action="expire_session", count=2)
    with pytest.raises(AuthenticationError) as info:
        client.zones.query()
    assert info.value.code == "ID.1001"
    assert info.value.operation == "QueryZone"
    assert logins(control) == 2


def test_sixteen_threads_share_one_login(client: ZStackClient, control: SimulatorControl) -> None:
    barrier = threading.Barrier(16)
    errors: list[BaseException] = []

    def run_sixteen() -> None:
        threads = [threading.Thread(target=work) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(3):
                client.zones.query(["name=zone-1"])
        except BaseException as exc:
            errors.append(exc)

    run_sixteen()
    assert logins(control) == 1
    assert len(api_requests(control, "GET", "/zones")) == 48

    control.expire_sessions()  # all 16 fail with the same session: still one re-login
    run_sixteen()
    assert logins(control) == 2
