"""Settings: Pulumi stack config (``zstack:*``), then environment variables, then defaults.

:meth:`Settings.resolve` is the one resolver: it serves the provider process (``configure()``
receives the whole stack config, secrets decrypted), Pulumi programs (the lookups read
``pulumi.Config("zstack")``) and :meth:`ZStackClient.from_env <pulumi_zstack.client.ZStackClient.from_env>`
(keyword arguments in place of stack config). Explicit values always win over the environment, as
in the Terraform provider. Rules:

- ``endpoint`` is ``http(s)://host[:port][/context-path]`` or a bare ``host[:port]`` (http, port
  8080); without it, ``host`` and ``port`` (default 8080) make ``http://host:port``.
- When both an account and an access key are complete, the account is used.
- A port is a decimal number from 1 to 65535; timeouts are positive numbers of seconds.

| stack config            | environment variable        | meaning                                         |
|-------------------------|-----------------------------|-------------------------------------------------|
| ``zstack:endpoint``     | ``ZSTACK_ENDPOINT``         | URL, e.g. ``https://zstack.example:8080``       |
| ``zstack:host``         | ``ZSTACK_HOST``             | host name, used when no endpoint is set (http)  |
| ``zstack:port``         | ``ZSTACK_PORT``             | port with ``host`` (default 8080)               |
| ``zstack:contextPath``  | ``ZSTACK_CONTEXT_PATH``     | API context path (default ``zstack``)           |
| ``zstack:accountName``  | ``ZSTACK_ACCOUNT_NAME``     | account login name                              |
| ``zstack:accountPassword`` (secret) | ``ZSTACK_ACCOUNT_PASSWORD`` | account password (plain text)         |
| ``zstack:accessKeyId``  | ``ZSTACK_ACCESS_KEY_ID``    | access key id (instead of an account)           |
| ``zstack:accessKeySecret`` (secret) | ``ZSTACK_ACCESS_KEY_SECRET`` | access key secret                    |
| ``zstack:insecure``     | ``ZSTACK_INSECURE``         | ``true`` disables TLS verification (warns)      |
| ``zstack:caBundle``     | ``ZSTACK_CA_BUNDLE``        | path of a PEM CA bundle for TLS verification    |
| ``zstack:jobTimeout``   | ``ZSTACK_JOB_TIMEOUT``      | seconds to wait for an async job (default 1800) |
| ``zstack:requestTimeout`` | ``ZSTACK_REQUEST_TIMEOUT`` | seconds per HTTP request (default 30)          |
| ``zstack:timeZone``     | ``ZSTACK_TIME_ZONE``        | IANA zone of the access-key Date (default: local) |
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pulumi_zstack.errors import PulumiZStackError

if TYPE_CHECKING:
    from pulumi_zstack.client import PollPolicy, ZStackClient

NAMESPACE = "zstack"

#: Stack config key (without namespace) -> environment variable, in documentation order.
ENV_VARS: dict[str, str] = {
    "endpoint": "ZSTACK_ENDPOINT",
    "host": "ZSTACK_HOST",
    "port": "ZSTACK_PORT",
    "contextPath": "ZSTACK_CONTEXT_PATH",
    "accountName": "ZSTACK_ACCOUNT_NAME",
    "accountPassword": "ZSTACK_ACCOUNT_PASSWORD",
    "accessKeyId": "ZSTACK_ACCESS_KEY_ID",
    "accessKeySecret": "ZSTACK_ACCESS_KEY_SECRET",
    "insecure": "ZSTACK_INSECURE",
    "caBundle": "ZSTACK_CA_BUNDLE",
    "jobTimeout": "ZSTACK_JOB_TIMEOUT",
    "requestTimeout": "ZSTACK_REQUEST_TIMEOUT",
    "timeZone": "ZSTACK_TIME_ZONE",
}

#: Setting key -> the :class:`~pulumi_zstack.client.ZStackClient` parameter that carries it
#: (``host`` and ``port`` make ``endpoint``; ``insecure`` and ``caBundle`` make ``verify``).
CLIENT_PARAMETERS: dict[str, str] = {
    "endpoint": "endpoint",
    "contextPath": "context_path",
    "accountName": "account_name",
    "accountPassword": "account_password",
    "accessKeyId": "access_key_id",
    "accessKeySecret": "access_key_secret",
    "jobTimeout": "job_timeout",
    "requestTimeout": "request_timeout",
    "timeZone": "time_zone",
}

DEFAULT_PORT = 8080
DEFAULT_CONTEXT_PATH = "zstack"
DEFAULT_JOB_TIMEOUT = 1800.0
DEFAULT_REQUEST_TIMEOUT = 30.0

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(PulumiZStackError, ValueError):
    """A provider setting is missing or malformed; the message names the config key and env var."""


def describe_setting(key: str) -> str:
    """How a setting is named in messages: ``'zstack:endpoint' (env ZSTACK_ENDPOINT)``."""
    return f"'{NAMESPACE}:{key}' (env {ENV_VARS[key]})"


@dataclass(frozen=True)
class Settings:
    """Resolved, validated provider settings. ``repr`` never shows a credential."""

    endpoint: str
    context_path: str = DEFAULT_CONTEXT_PATH
    account_name: str | None = None
    account_password: str | None = field(default=None, repr=False)
    access_key_id: str | None = None
    access_key_secret: str | None = field(default=None, repr=False)
    verify: bool | str = True
    job_timeout: float = DEFAULT_JOB_TIMEOUT
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    time_zone: str | None = None

    @classmethod
    def resolve(
        cls,
        config_get: Callable[[str], object | None],
        environ: Mapping[str, str] | None = None,
        *,
        describe: Callable[[str], str] | None = None,
    ) -> Settings:
        """Resolve settings from a config lookup (key without namespace) with env fallback.

        ``describe`` names a setting in error messages (default: ``'zstack:key' (env VAR)``).
        Raises :class:`SettingsError` for a missing, half-set or malformed setting.
        """
        env = os.environ if environ is None else environ
        name = describe or describe_setting

        def get(key: str) -> str | None:
            value = config_get(key)
            if value is None or value == "":
                value = env.get(ENV_VARS[key]) or None
            return None if value is None else str(value).strip()

        endpoint = get("endpoint")
        if not endpoint:
            host = get("host")
            if not host:
                raise SettingsError(
                    f"no ZStack endpoint configured: set {name('endpoint')}, "
                    f"or {name('host')} and {name('port')}"
                )
            endpoint = f"http://{host}:{_port(get('port'), name('port'))}"
        _check_endpoint(endpoint, name("endpoint"))

        account_name, password = get("accountName"), get("accountPassword")
        key_id, key_secret = get("accessKeyId"), get("accessKeySecret")
        if bool(account_name) != bool(password):
            missing = "accountPassword" if account_name else "accountName"
            raise SettingsError(f"account login is half-configured: set {name(missing)}")
        if bool(key_id) != bool(key_secret):
            missing = "accessKeySecret" if key_id else "accessKeyId"
            raise SettingsError(f"access key is half-configured: set {name(missing)}")
        if not account_name and not key_id:
            raise SettingsError(
                f"no ZStack credentials configured: set {name('accountName')} and "
                f"{name('accountPassword')}, or {name('accessKeyId')} and "
                f"{name('accessKeySecret')}"
            )

        insecure = _bool(get("insecure"), name("insecure"))
        ca_bundle = get("caBundle")
        if insecure and ca_bundle:
            raise SettingsError(f"{name('insecure')} and {name('caBundle')} exclude each other")
        if ca_bundle and not os.path.isfile(ca_bundle):
            raise SettingsError(f"{name('caBundle')} names no readable file: {ca_bundle!r}")
        verify: bool | str = ca_bundle or not insecure

        time_zone = get("timeZone")
        if time_zone:
            try:
                ZoneInfo(time_zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise SettingsError(
                    f"{name('timeZone')} must be an IANA time zone name such as Asia/Shanghai, "
                    f"got {time_zone!r}"
                ) from None

        return cls(
            endpoint=endpoint,
            context_path=(get("contextPath") or DEFAULT_CONTEXT_PATH).strip("/"),
            account_name=account_name,
            account_password=password,
            access_key_id=key_id if not account_name else None,
            access_key_secret=key_secret if not account_name else None,
            verify=verify,
            job_timeout=_seconds(get("jobTimeout"), name("jobTimeout"), DEFAULT_JOB_TIMEOUT),
            request_timeout=_seconds(get("requestTimeout"), name("requestTimeout"), DEFAULT_REQUEST_TIMEOUT),
            time_zone=time_zone or None,
        )

    def client_arguments(self) -> dict[str, Any]:
        """The :class:`~pulumi_zstack.client.ZStackClient` keyword arguments of these settings."""
        return {
            "endpoint": self.endpoint,
            "account_name": self.account_name,
            "account_password": self.account_password,
            "access_key_id": self.access_key_id,
            "access_key_secret": self.access_key_secret,
            "context_path": self.context_path,
            "verify": self.verify,
            "request_timeout": self.request_timeout,
            "job_timeout": self.job_timeout,
            "time_zone": self.time_zone,
        }

    def new_client(self, poll_policy: PollPolicy | None = None) -> ZStackClient:
        """Build a client for these settings; warns on stderr when TLS verification is off."""
        from pulumi_zstack.client import ZStackClient

        if self.verify is False and self.endpoint.startswith("https"):
            print(
                f"warning: pulumi-zstack: TLS certificate verification is disabled for {self.endpoint} "
                f"({describe_setting('insecure')} is set)",
                file=sys.stderr,
                flush=True,
            )
            # That one warning says it all; urllib3 would add a multi-line one to every request.
            import warnings

            from urllib3.exceptions import InsecureRequestWarning

            warnings.filterwarnings("ignore", category=InsecureRequestWarning)
        return ZStackClient(**self.client_arguments(), poll_policy=poll_policy)


def _check_endpoint(endpoint: str, name: str) -> None:
    """Refuse an endpoint the client cannot parse, naming the setting (at preview time)."""
    from pulumi_zstack.client import ConfigurationError
    from pulumi_zstack.client._endpoint import Endpoint

    try:
        Endpoint.parse(endpoint)
    except ConfigurationError:
        shown = re.sub(r"//[^/@]*@", "//***@", endpoint)
        raise SettingsError(
            f"{name} must be http(s)://host[:port][/context-path] or host[:port], got {shown!r}"
        ) from None


def _port(raw: str | None, name: str) -> int:
    if raw is None:
        return DEFAULT_PORT
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(f"{name} must be a port number from 1 to 65535, got {raw!r}")
    return int(raw)


def _seconds(raw: str | None, name: str, default: float) -> float:
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}") from None
    if not value > 0 or value == float("inf"):
        raise SettingsError(f"{name} must be a positive number of seconds, got {raw!r}")
    return value


def _bool(raw: str | None, name: str) -> bool:
    if raw is None:
        return False
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


LOG_ENV_VAR = "PULUMI_ZSTACK_LOG"


def configure_logging(environ: Mapping[str, str] | None = None) -> None:
    """Send ``pulumi_zstack`` log records to stderr when ``PULUMI_ZSTACK_LOG`` names a level.

    The Pulumi CLI shows the provider's stderr, so ``PULUMI_ZSTACK_LOG=debug pulumi up`` traces
    every ZStack request (method, path, status, duration; never a credential).
    """
    import logging

    level = (os.environ if environ is None else environ).get(LOG_ENV_VAR, "").upper()
    if not level:
        return
    logger = logging.getLogger("pulumi_zstack")
    if not any(getattr(h, "_pulumi_zstack", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("pulumi-zstack %(levelname)s %(name)s: %(message)s"))
        handler._pulumi_zstack = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level if level in logging.getLevelNamesMapping() else "DEBUG")
