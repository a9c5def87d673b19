"""Request signing and login material, checked against independently computed values."""

from __future__ import annotations

from pulumi_zstack.client._auth import AccessKeyAuth, SessionAuth, sign

SECRET = "simAccessKeySecret000000000000000000000"
DATE = "Wed, 07 Jun 2017 13:20:19 GMT"
# printf 'GET\nWed, 07 Jun 2017 13:20:19 GMT\n/v1/backup-storage/3f9d2c1b0a8e4f7d9c6b5a4e3d2c1b0a' \
#   | openssl dgst -sha1 -hmac "$SECRET" -binary | base64
EXPECTED = "WqOwyKStK/O/7yD2hFjAVizmvJM="
# printf password | openssl dgst -sha512
PASSWORD_SHA512 = (
    "b109f3bbbc244eb82441917ed06d618b9008dd09b3befd1b5e07394c706a8bb9"
    "80b1d7785e5976ec049b46df5f1326af5a2ea6d103fd07c95385ffab0cacbc86"
)


def test_signature_matches_openssl() -> None:
    assert sign(SECRET, "GET", DATE, "/v1/backup-storage/3f9d2c1b0a8e4f7d9c6b5a4e3d2c1b0a") == EXPECTED
    assert sign(SECRET, "get", DATE, "/v1/backup-storage/3f9d2c1b0a8e4f7d9c6b5a4e3d2c1b0a") == EXPECTED


def test_access_key_headers_sign_the_path_without_context_or_query() -> None:
    auth = AccessKeyAuth("simAccessKeyId0000001", SECRET, clock=lambda: 1496841619.0)
    headers = auth.headers("GET", "/v1/backup-storage/3f9d2c1b0a8e4f7d9c6b5a4e3d2c1b0a", None)
    assert headers == {"Date": DATE, "Authorization": f"ZStack simAccessKeyId0000001:{EXPECTED}"}
    assert SECRET not in repr(auth)


def test_session_auth_keeps_only_the_sha512_of_the_password_and_hides_it() -> None:
    auth = SessionAuth("admin", "password")
    assert auth.secrets() == [PASSWORD_SHA512]
    assert "password" not in vars(auth).values()
    assert PASSWORD_SHA512 not in repr(auth)
    assert auth.headers("GET", "/v1/zones", "s" * 32) == {"Authorization": "OAuth " + "s" * 32}
