"""Login, sessions, logout and access keys."""

from __future__ import annotations

import re
import time
from email.utils import formatdate

import requests

from pulumi_zstack.simulator.auth import sign
from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
from pulumi_zstack.simulator.seed import ACCESS_KEY_ID, IMAGESTORE_1_UUID, ZONE_1_UUID
from tests.simulator.zstack import ZStackHttp

GSON_DATE = re.compile(r"[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M")
ID_1001 = {
    "code": "ID.1001",
    "description": "The session is invalid, either wrong session id or the session has been expired",
    "details": "Session expired",
}


def test_login_answers_a_session_inventory(zs: ZStackHttp) -> None:
    response = zs.login_response()
    assert response.status_code == 200
    inventory = response.json()["inventory"]
    assert set(inventory) == {"uuid", "accountUuid", "userUuid", "expiredDate", "createDate"}
    assert re.fullmatch(r"[0-9a-f]{32}", inventory["uuid"])
    assert GSON_DATE.fullmatch(inventory["expiredDate"])
    assert GSON_DATE.fullmatch(inventory["createDate"])


def test_wrong_password_is_id_1000(zs: ZStackHttp) -> None:
    response = zs.login_response(password="wrong")
    assert response.status_code == 503
    assert response.json() == {
        "error": {
            "code": "ID.1000",
            "description": "Unable to authenticate a user",
            "details": "wrong account name or password",
        }
    }
    assert zs.login_response(account="nobody").status_code == 503


def test_login_body_without_action_is_400(zs: ZStackHttp) -> None:
    response = requests.put(f"{zs.api}/accounts/login", json={"other": {}}, timeout=5)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")


def test_missing_authorization_is_400_plain_text(zs: ZStackHttp) -> None:
    response = zs.get("/zones", headers={})
    assert response.status_code == 400
    assert response.text == "missing header 'Authorization'"
    assert response.headers["Content-Type"].startswith("text/plain")
    submit = zs.submit("POST", "/zones", headers={}, json={"params": {"name": "z"}})
    assert (submit.status_code, submit.text) == (400, "missing header 'Authorization'")


def test_header_names_are_case_insensitive(zs: ZStackHttp) -> None:
    response = zs.get("/zones", headers={"authorization": f"OAuth {zs.session}"})
    assert response.status_code == 200
    signed = {k.lower(): v for k, v in zs.access_key_headers("GET", "/zstack/v1/zones").items()}
    assert zs.get("/zones", headers=signed).status_code == 200


def test_other_authorization_scheme_is_400(zs: ZStackHttp) -> None:
    response = zs.get("/zones", headers={"Authorization": "Bearer abc"})
    assert (response.status_code, response.text) == (400, "Authorization type must be 'OAuth'")


def test_unknown_session_query_is_immediate_503(zs: ZStackHttp) -> None:
    response = zs.get("/zones", headers=zs.auth("0" * 32))
    assert response.status_code == 503
    assert response.json() == {"error": ID_1001}


def test_unknown_session_async_call_is_accepted_then_fails(zs: ZStackHttp) -> None:
    submitted = zs.submit("POST", "/zones", headers=zs.auth("0" * 32), json={"params": {"name": "z"}})
    assert submitted.status_code == 202
    final = zs.wait(submitted.json()["location"])
    assert final.status_code == 503
    assert final.json() == {"error": ID_1001}


def test_logout_invalidates_the_session(zs: ZStackHttp) -> None:
    session = zs.login()
    assert requests.get(f"{zs.api}/accounts/sessions/{session}/valid", timeout=5).json() == {"valid": True}
    response = requests.delete(f"{zs.api}/accounts/sessions/{session}", timeout=5)
    assert (response.status_code, response.json()) == (200, {})
    assert requests.get(f"{zs.api}/accounts/sessions/{session}/valid", timeout=5).json() == {"valid": False}
    assert zs.get("/zones", headers=zs.auth(session)).status_code == 503
    # Logging out an unknown session is fine too.
    assert requests.delete(f"{zs.api}/accounts/sessions/{'1' * 32}", timeout=5).status_code == 200


def test_control_plane_expires_sessions(zs: ZStackHttp, control: SimulatorControl) -> None:
    session = zs.login()
    control.expire_sessions()
    assert zs.get("/zones", headers=zs.auth(session)).json() == {"error": ID_1001}
    assert control.stats()["activeSessions"] == 0


def test_session_timeout_slides_with_use() -> None:
    with SimulatorProcess(session_timeout=0.6, job_delay=0.01) as process:
        zs = ZStackHttp(process.url)
        session = zs.login()
        for _ in range(3):  # used every 0.3 s: 0.9 s in all, longer than the timeout
            time.sleep(0.3)
            assert zs.get("/zones", headers=zs.auth(session)).status_code == 200
        time.sleep(0.8)
        response = zs.get("/zones", headers=zs.auth(session))
        assert (response.status_code, response.json()) == (503, {"error": ID_1001})


def test_access_key_signed_request_is_accepted(zs: ZStackHttp) -> None:
    response = zs.get("/zones", headers=zs.access_key_headers("GET", "/zstack/v1/zones"))
    assert response.status_code == 200
    assert len(response.json()["inventories"]) == 2
    path = f"/zones/{ZONE_1_UUID}"
    submitted = zs.submit("DELETE", path, headers=zs.access_key_headers("DELETE", f"/zstack/v1{path}"))
    assert submitted.status_code == 202
    assert zs.wait(submitted.json()["location"]).status_code == 200


def test_access_key_signature_ignores_the_query_string(zs: ZStackHttp) -> None:
    headers = zs.access_key_headers("GET", "/zstack/v1/zones")
    response = zs.get("/zones", headers=headers, q="name=zone-1")
    assert [z["name"] for z in response.json()["inventories"]] == ["zone-1"]


# The REST layer's plain-text answers to a refused access key (RestServer.java handleApi and
# checkTime, AccessKeyManager.doAuth), in the order it checks.
DATE_MISSING = "'Date' must be incuded in request header"
DATE_FORMAT_ERROR = "'Date' format error, correct format is 'EEE, dd MMM yyyy HH:mm:ss z'"
ACCESS_KEY_FORMAT = "accessKey format is 'ZStack AccessKeyId:Signature'"


def _plain(response: requests.Response) -> tuple[int, str]:
    assert response.headers["Content-Type"].startswith("text/plain")
    return response.status_code, response.text


def test_signature_is_the_nodes_hmac_sha1() -> None:
    # Computed with javax.crypto.Mac "HmacSHA1" over "GET\n<Date>\n/v1/zones/abc", Base64, as
    # AccessKeyManager.doAuth does.
    date = "Wed, 02 Dec 2026 13:05:00 GMT+08:00"
    assert sign("key", "GET", date, "/v1/zones/abc") == "rCKt/BfA7SFdOBDirY7cBpOvAa8="


def test_unknown_access_key_is_403_plain_text(zs: ZStackHttp) -> None:
    headers = zs.access_key_headers("GET", "/zstack/v1/zones", key_id="unknownKey")
    assert _plain(zs.get("/zones", headers=headers)) == (
        403,
        "access key id: unknownKey does not existed or disabled",
    )


def test_wrong_signature_is_403_plain_text(zs: ZStackHttp) -> None:
    for headers in (
        zs.access_key_headers("GET", "/zstack/v1/zones", secret="not-the-secret"),
        zs.access_key_headers("GET", "/zstack/v1/backup-storage"),  # signed for another path
    ):
        assert _plain(zs.get("/zones", headers=headers)) == (403, "wrong accessKey signature")


def test_malformed_access_key_header_is_400(zs: ZStackHttp) -> None:
    date = formatdate(usegmt=True)
    for credential in ("noColon", f"{ACCESS_KEY_ID}:a:b", f"{ACCESS_KEY_ID}:", ":"):
        headers = {"Date": date, "Authorization": f"ZStack {credential}"}
        assert _plain(zs.get("/zones", headers=headers)) == (400, ACCESS_KEY_FORMAT)


def test_access_key_skewed_date_is_403(zs: ZStackHttp) -> None:
    skewed = formatdate(time.time() - 16 * 60, usegmt=True)
    response = zs.get("/zones", headers=zs.access_key_headers("GET", "/zstack/v1/zones", date=skewed))
    assert _plain(response) == (403, "requestTimeTooSkewed")
    within = formatdate(time.time() - 14 * 60, usegmt=True)
    assert zs.get("/zones", headers=zs.access_key_headers("GET", "/zstack/v1/zones", date=within)).ok


def test_access_key_without_date_is_400(zs: ZStackHttp) -> None:
    headers = zs.access_key_headers("GET", "/zstack/v1/zones")
    del headers["Date"]
    assert _plain(zs.get("/zones", headers=headers)) == (400, DATE_MISSING)


def test_access_key_with_an_rfc_1123_numeric_zone_is_400(zs: ZStackHttp) -> None:
    # email.utils.formatdate(usegmt=False) writes "-0000": RFC 1123, but not Java's pattern z.
    date = formatdate(usegmt=False)
    headers = zs.access_key_headers("GET", "/zstack/v1/zones", date=date)
    assert _plain(zs.get("/zones", headers=headers)) == (400, DATE_FORMAT_ERROR)


def test_the_date_is_checked_before_the_key(zs: ZStackHttp) -> None:
    headers = zs.access_key_headers("GET", "/zstack/v1/zones", key_id="unknownKey", date="yesterday")
    assert _plain(zs.get("/zones", headers=headers)) == (400, DATE_FORMAT_ERROR)
    assert _plain(zs.get("/zones", headers={"Authorization": "ZStack noColon"})) == (400, DATE_MISSING)


def test_logins_beyond_max_sessions_are_id_1006_per_account_until_a_logout() -> None:
    # identity/.../Session.java refuses a login once the user has identity.session.maxConcurrent
    # sessions; conf/errorCodes/identity.xml describes ID.1006.
    with SimulatorProcess(job_delay=0.01, max_sessions=2) as process:
        zs = ZStackHttp(process.url)
        first, _second = zs.login(), zs.login()
        refused = zs.login_response()
        assert refused.status_code == 503
        assert refused.json() == {
            "error": {
                "code": "ID.1006",
                "description": "Max number of active sessions exceeded",
                "details": "Login sessions hit limit of max allowed concurrent login sessions",
            }
        }
        assert requests.delete(f"{zs.api}/accounts/sessions/{first}", timeout=5).status_code == 200
        assert zs.login_response().status_code == 200
        stats = SimulatorControl(process.url).stats()
        assert (stats["logins"], stats["logouts"], stats["failedLogins"], stats["activeSessions"]) == (
            3,
            1,
            1,
            2,
        )


def test_a_logout_does_not_stop_a_job_accepted_with_a_valid_session(
    zs: ZStackHttp, control: SimulatorControl
) -> None:
    # AuthorizationManager checks the session when the call arrives, not when its work ends.
    control.add_fault(method="POST", path="/backup-storage/", action="job_delay", seconds=0.3)
    session = zs.login()
    submitted = zs.submit(
        "POST", f"/zones/{ZONE_1_UUID}/backup-storage/{IMAGESTORE_1_UUID}", headers=zs.auth(session)
    )
    assert requests.delete(f"{zs.api}/accounts/sessions/{session}", timeout=5).status_code == 200
    assert zs.wait(submitted.json()["location"]).status_code == 200
