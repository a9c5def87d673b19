"""Building a client: endpoint forms, environment variables and credential errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_zstack.client import ConfigurationError, ZStackClient
from pulumi_zstack.client._endpoint import Endpoint

ADMIN = {"account_name": "admin", "account_password": "password"}


@pytest.mark.parametrize(
    ("endpoint", "base_url"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/zstack"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/zstack"),
        ("https://zs.example:8443/custom", "https://zs.example:8443/custom"),
        ("http://zs.example:8080/zstack/v1", "http://zs.example:8080/zstack"),
        ("https://zs.example", "https://zs.example:443/zstack"),
        ("zs.example", "http://zs.example:8080/zstack"),
        ("10.0.0.5:9090", "http://10.0.0.5:9090/zstack"),
        ("http://[::1]:8080", "http://[::1]:8080/zstack"),
    ],
)
def test_endpoint_forms(endpoint: str, base_url: str) -> None:
    assert Endpoint.parse(endpoint).base_url == base_url


def test_context_path_parameter_applies_when_the_url_has_none() -> None:
    assert Endpoint.parse("http://h:1", "other/").base_url == "http://h:1/other"
    assert Endpoint.parse("http://h:1/mine", "other").base_url == "http://h:1/mine"


@pytest.mark.parametrize(
    "endpoint", ["ftp://h:21", "http://h:99999", "http://user:pw@h:1", "http://h:1/?x=1", "http://"]
)
def test_malformed_endpoints_name_the_parameter_and_env_var(endpoint: str) -> None:
    with pytest.raises(ConfigurationError, match="ZSTACK_ENDPOINT") as info:
        ZStackClient(endpoint, **ADMIN)
    assert "endpoint" in str(info.value)
    assert "pw" not in str(info.value).replace("ZSTACK_ENDPOINT", "")


def test_missing_endpoint() -> None:
    with pytest.raises(ConfigurationError, match="ZSTACK_ENDPOINT"):
        ZStackClient("", **ADMIN)
    with pytest.raises(ConfigurationError, match="ZSTACK_HOST"):
        ZStackClient.from_env({})


@pytest.mark.parametrize(
    ("kwargs", "names"),
    [
        ({}, ["account_name", "ZSTACK_ACCOUNT_NAME", "access_key_id", "ZSTACK_ACCESS_KEY_ID"]),
        ({"account_name": "admin"}, ["account_password", "ZSTACK_ACCOUNT_PASSWORD"]),
        ({"account_password": "s3cret-pw"}, ["account_name", "ZSTACK_ACCOUNT_NAME"]),
        ({"access_key_id": "id"}, ["access_key_secret", "ZSTACK_ACCESS_KEY_SECRET"]),
        ({"access_key_secret": "s3cret-key"}, ["access_key_id", "ZSTACK_ACCESS_KEY_ID"]),
        ({**ADMIN, "access_key_id": "id", "access_key_secret": "s3cret-key"}, ["use one of them"]),
    ],
)
def test_credential_errors_name_parameter_and_env_var(kwargs: dict[str, str], names: list[str]) -> None:
    with pytest.raises(ConfigurationError) as info:
        ZStackClient("http://h:1", **kwargs)
    for name in names:
        assert name in str(info.value)
    assert "s3cret" not in str(info.value)


def test_from_env_host_and_port() -> None:
    env = {"ZSTACK_HOST": "10.1.1.1", "ZSTACK_ACCOUNT_NAME": "admin", "ZSTACK_ACCOUNT_PASSWORD": "pw"}
    client = ZStackClient.from_env(env)
    assert client.endpoint == "http://10.1.1.1:8080/zstack"
    assert client.auth_mode == "session"
    env["ZSTACK_PORT"] = "9999"
    env["ZSTACK_CONTEXT_PATH"] = "zs"
    assert ZStackClient.from_env(env).endpoint == "http://10.1.1.1:9999/zs"
    with pytest.raises(ConfigurationError, match="ZSTACK_PORT"):
        ZStackClient.from_env({**env, "ZSTACK_PORT": "http"})


def test_from_env_endpoint_wins_and_keywords_win_over_env() -> None:
    env = {
        "ZSTACK_ENDPOINT": "https://zs.example:8443",
        "ZSTACK_HOST": "ignored",
        "ZSTACK_ACCESS_KEY_ID": "id",
        "ZSTACK_ACCESS_KEY_SECRET": "secret",
    }
    client = ZStackClient.from_env(env)
    assert client.endpoint == "https://zs.example:8443/zstack"
    assert client.auth_mode == "access-key"
    overridden = ZStackClient.from_env(env, endpoint="http://other:1", **ADMIN)
    assert overridden.endpoint == "http://other:1/zstack"
    assert overridden.auth_mode == "session"


def test_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZSTACK_ENDPOINT", "http://127.0.0.1:1")
    monkeypatch.setenv("ZSTACK_ACCOUNT_NAME", "admin")
    monkeypatch.setenv("ZSTACK_ACCOUNT_PASSWORD", "topsecret")
    client = ZStackClient.from_env()
    assert repr(client) == "ZStackClient(endpoint='http://127.0.0.1:1/zstack', auth='session')"


def test_import_is_lazy() -> None:
    code = (
        "import sys; from pulumi_zstack.client import ZStackError;"
        "loaded = sorted(m for m in sys.modules if m.startswith('pulumi_zstack.client.'));"
        "assert loaded == ['pulumi_zstack.client.errors'], loaded"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


# -- from_env and the provider resolve settings alike (one resolver: pulumi_zstack.config) ------

ACCOUNT_ENV = {"ZSTACK_ACCOUNT_NAME": "admin", "ZSTACK_ACCOUNT_PASSWORD": "pw"}
KEY_ENV = {"ZSTACK_ACCESS_KEY_ID": "id", "ZSTACK_ACCESS_KEY_SECRET": "key-secret"}


def _provider_client(env: dict[str, str]) -> ZStackClient:
    """The client the provider builds from these environment variables (no stack config)."""
    from pulumi_zstack.config import Settings

    return Settings.resolve(lambda key: None, env).new_client()


@pytest.mark.parametrize(
    ("env", "endpoint", "auth_mode"),
    [
        # README: "when both are complete the account is used"
        ({"ZSTACK_ENDPOINT": "http://h:1", **ACCOUNT_ENV, **KEY_ENV}, "http://h:1/zstack", "session"),
        # docs/client.md: a bare host[:port] means http, port 8080
        ({"ZSTACK_ENDPOINT": "zs.example", **KEY_ENV}, "http://zs.example:8080/zstack", "access-key"),
        ({"ZSTACK_ENDPOINT": "zs.example:9090", **KEY_ENV}, "http://zs.example:9090/zstack", "access-key"),
        ({"ZSTACK_HOST": "10.0.0.5", **ACCOUNT_ENV}, "http://10.0.0.5:8080/zstack", "session"),
        (
            {"ZSTACK_HOST": "10.0.0.5", "ZSTACK_PORT": " 9090 ", **ACCOUNT_ENV},
            "http://10.0.0.5:9090/zstack",
            "session",
        ),
        (
            {"ZSTACK_HOST": "h", "ZSTACK_CONTEXT_PATH": "/custom/", **ACCOUNT_ENV},
            "http://h:8080/custom",
            "session",
        ),
    ],
)
def test_from_env_and_the_provider_build_the_same_client(
    env: dict[str, str], endpoint: str, auth_mode: str
) -> None:
    for client in (ZStackClient.from_env(env), _provider_client(env)):
        assert (client.endpoint, client.auth_mode) == (endpoint, auth_mode)


@pytest.mark.parametrize("port", ["8080.0", "0", "65536", "http", "-1"])
def test_from_env_and_the_provider_refuse_the_same_ports(port: str) -> None:
    from pulumi_zstack.config import SettingsError

    env = {"ZSTACK_HOST": "h", "ZSTACK_PORT": port, **ACCOUNT_ENV}
    with pytest.raises(
        ConfigurationError, match=f"ZSTACK_PORT must be a port number from 1 to 65535, got '{port}'"
    ):
        ZStackClient.from_env(env)
    with pytest.raises(SettingsError, match="'zstack:port' \\(env ZSTACK_PORT\\) must be a port number"):
        _provider_client(env)


def test_from_env_reads_the_tls_and_timeout_variables(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    base = {"ZSTACK_ENDPOINT": "https://h:1", **ACCOUNT_ENV}
    with pytest.raises(ConfigurationError, match="ZSTACK_INSECURE and ZSTACK_CA_BUNDLE exclude each other"):
        ZStackClient.from_env({**base, "ZSTACK_INSECURE": "true", "ZSTACK_CA_BUNDLE": str(bundle)})
    with pytest.raises(ConfigurationError, match="ZSTACK_CA_BUNDLE names no readable file"):
        ZStackClient.from_env({**base, "ZSTACK_CA_BUNDLE": str(tmp_path / "missing.pem")})
    with pytest.raises(
        ConfigurationError, match=r"job_timeout= \(env ZSTACK_JOB_TIMEOUT\) must be a positive"
    ):
        ZStackClient.from_env({**base, "ZSTACK_JOB_TIMEOUT": "0"})
    with pytest.raises(
        ConfigurationError, match=r"request_timeout= \(env ZSTACK_REQUEST_TIMEOUT\) must be a number"
    ):
        ZStackClient.from_env({**base, "ZSTACK_REQUEST_TIMEOUT": "soon"})
