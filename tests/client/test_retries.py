"""The retry policy against injected faults: what is retried, what is not, and no double execution."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

from pulumi_zstack.client import RetryPolicy, TransportError, ZStackAPIError, ZStackClient
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from tests.client.client_support import IMAGESTORE_1, ZONE_1, api_requests

MakeClient = Callable[..., ZStackClient]
ATTACH = f"/v1/zones/{ZONE_1}/backup-storage/{IMAGESTORE_1}$"


def statuses(control: SimulatorControl, method: str, path: str) -> list[int | None]:
    return [entry["status"] for entry in api_requests(control, method, path)]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_bodiless_gateway_errors_on_a_query_are_retried(
    client: ZStackClient, control: SimulatorControl, status: int
) -> None:
    control.add_fault(method="GET", path="/v1/zones$", action="status", status=status, count=2)
    assert client.zones.count() == 2
    assert statuses(control, "GET", "/v1/zones") == [status, status, 200]


def test_gateway_errors_on_submit_and_poll_are_retried(
    client: ZStackClient, control: SimulatorControl
) -> None:
    control.add_fault(method="POST", path=ATTACH, action="status", status=502)
    control.add_fault(method="GET", path="/api-jobs/", action="status", status=504, count=2)
    client.backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)
    assert statuses(control, "POST", "/backup-storage/") == [502, 202]
    assert statuses(control, "GET", "/api-jobs/")[:2] == [504, 504]
    assert len(control.jobs()) == 1


def test_a_submit_whose_answer_is_lost_runs_once(client: ZStackClient, control: SimulatorControl) -> None:
    control.add_fault(method="POST", path=ATTACH, action="drop")  # processed, then the connection dropped
    inventory = client.backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)  # not a SYS.1006 failure
    assert inventory.attached_zone_uuids == [ZONE_1]
    first, second = api_requests(control, "POST", "/backup-storage/")
    assert (first["fault"], second["status"]) == ("drop", 400)  # 400: duplicate X-Job-UUID, polled instead
    (job,) = control.jobs()
    assert job["status"] == "succeeded"
    assert [a["zoneUuid"] for a in control.attachments()].count(ZONE_1) == 1


def test_a_submit_dropped_before_processing_is_sent_again(
    client: ZStackClient, control: SimulatorControl
) -> None:
    control.add_fault(method="POST", path=ATTACH, action="drop_before")
    client.backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)
    assert len(api_requests(control, "POST", "/backup-storage/")) == 2
    assert [job["status"] for job in control.jobs()] == ["succeeded"]


def test_read_timeouts_are_retried(make_client: MakeClient, control: SimulatorControl) -> None:
    client = make_client(request_timeout=0.3)
    control.add_fault(method="GET", path="/v1/zones$", action="delay", seconds=1.0)
    assert client.zones.count() == 2
    assert len(api_requests(control, "GET", "/v1/zones")) == 2


def test_login_is_retried(client: ZStackClient, control: SimulatorControl) -> None:
    control.add_fault(method="PUT", path="/accounts/login", action="status", status=503)
    client.login()
    assert statuses(control, "PUT", "/accounts/login") == [503, 200]


def test_attempts_are_bounded(
    make_client: MakeClient, control: SimulatorControl, simulator: SimulatorProcess
) -> None:
    client = make_client(retry_policy=RetryPolicy(max_attempts=3, base_delay=0.01))
    client.login()
    control.add_fault(method="GET", path="/v1/zones$", action="status", status=503, count=-1)
    with pytest.raises(TransportError) as info:
        client.zones.query()
    assert len(api_requests(control, "GET", "/v1/zones")) == 3
    assert info.value.status == 503
    assert info.value.kind == "unavailable"
    assert str(info.value) == (
        f"QueryZone: {simulator.url}/zstack answered HTTP 503 without a ZStack error body after "
        "3 attempt(s): HTTP 503, no content type: empty body"
    )


def test_business_errors_are_not_retried(client: ZStackClient, control: SimulatorControl) -> None:
    body = {
        "error": {
            "code": "SYS.1000",
            "description": "An internal error happened in system",
            "details": "boom",
        }
    }
    control.add_fault(method="GET", path="/v1/zones$", action="status", status=503, body=body)
    with pytest.raises(ZStackAPIError) as info:
        client.zones.query()
    assert str(info.value) == "QueryZone failed: SYS.1000 An internal error happened in system: boom"
    assert len(api_requests(control, "GET", "/v1/zones")) == 1


def test_connection_refused_names_the_endpoint(make_client: MakeClient) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(
        endpoint=f"http://127.0.0.1:{port}", retry_policy=RetryPolicy(max_attempts=2, base_delay=0)
    )
    with pytest.raises(TransportError) as info:
        client.zones.query()
    assert info.value.kind == "connection"
    assert str(info.value) == (
        f"LogInByAccount: no answer from http://127.0.0.1:{port}/zstack after 2 attempt(s): "
        "ConnectionRefusedError: Connection refused"
    )


def test_a_web_page_is_not_a_zstack_answer(client: ZStackClient, control: SimulatorControl) -> None:
    control.add_fault(
        method="GET", path="/v1/zones$", action="status", status=404, body="<html>Not Found</html>"
    )
    with pytest.raises(TransportError, match="is this a ZStack endpoint with context path '/zstack'") as info:
        client.zones.query()
    assert info.value.kind == "not_zstack"


def test_a_wrong_context_path(make_client: MakeClient, simulator: SimulatorProcess) -> None:
    client = make_client(endpoint=f"{simulator.url}/wrong", access_key_id="a", access_key_secret="b")
    with pytest.raises(TransportError) as info:
        client.zones.query()
    message = str(info.value)
    assert message.startswith(
        f"QueryZone: unexpected HTTP 404 from {simulator.url}/wrong; is this a ZStack endpoint with context "
        "path '/wrong'? (HTTP 404, text/plain: "
    )
