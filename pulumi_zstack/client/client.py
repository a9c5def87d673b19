"""``ZStackClient``: the facade over the HTTP layer, the job runner and the API areas."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import tzinfo
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ._auth import AccessKeyAuth, Auth, SessionAuth
from ._endpoint import Endpoint
from ._retry import RetryPolicy
from ._transport import Transport
from .errors import ConfigurationError, ZStackError
from .jobs import JobRunner, PollPolicy

if TYPE_CHECKING:
    from .backup_storage import BackupStorageClient
    from .clusters import ClustersClient
    from .l2_networks import L2NetworksClient
    from .primary_storage import PrimaryStorageClient
    from .zones import ZonesClient

__all__ = ["ZStackClient"]

logger = logging.getLogger("pulumi_zstack.client")

_CREDENTIALS = {
    "account_name": "ZSTACK_ACCOUNT_NAME",
    "account_password": "ZSTACK_ACCOUNT_PASSWORD",
    "access_key_id": "ZSTACK_ACCESS_KEY_ID",
    "access_key_secret": "ZSTACK_ACCESS_KEY_SECRET",
}


class ZStackClient:
    """A client of one ZStack management node.

    ::

        with ZStackClient("http://10.0.0.5:8080", account_name="admin", account_password="password") as c:
            zone = c.zones.get("6b1a3c7e2d4f4a1b9c8d7e6f5a4b3c21")
            c.backup_storage.attach_to_zone(zone.uuid, bs_uuid)

    Authenticate with an account (one session, logged in on first use, shared by all
    threads, renewed once if the server drops it, logged out by :meth:`close`) or with an
    access key (every request signed, no session). Pass exactly one of the two pairs.

    :param endpoint: ``http(s)://host[:port][/context-path]``, or a bare ``host[:port]``
        (http, port 8080).
    :param context_path: used when ``endpoint`` has no path (default ``zstack``).
    :param verify: TLS verification: ``True``, ``False`` or the path of a CA bundle.
    :param request_timeout: read timeout of one HTTP request, in seconds (connect: at most 10 s).
    :param job_timeout: how long to wait for an async job; the server's ``apiTimeout`` caps it.
    :param time_zone: IANA name of the zone whose wall time access-key requests carry in their
        ``Date`` header; default: this machine's zone, as the official SDKs do. A management node
        compares that wall time with its own (``rest.checkTimeZone = false``, the default), so
        this must be the node's zone when the two machines' zones differ.
    :param retry_policy: see :class:`RetryPolicy`.
    :param poll_policy: see :class:`PollPolicy`.
    :param user_agent: defaults to ``pulumi-zstack/<version>``.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        account_name: str | None = None,
        account_password: str | None = None,
        access_key_id: str | None = None,
        access_key_secret: str | None = None,
        context_path: str = "zstack",
        verify: bool | str = True,
        request_timeout: float = 30.0,
        job_timeout: float = 1800.0,
        time_zone: str | None = None,
        retry_policy: RetryPolicy | None = None,
        poll_policy: PollPolicy | None = None,
        user_agent: str | None = None,
    ) -> None:
        if not endpoint:
            raise ConfigurationError(
                "no ZStack endpoint: pass endpoint= or set ZSTACK_ENDPOINT (or ZSTACK_HOST and ZSTACK_PORT)"
            )
        if request_timeout <= 0 or job_timeout <= 0:
            raise ConfigurationError("request_timeout and job_timeout must be positive numbers of seconds")
        self._auth = _auth(
            account_name, account_password, access_key_id, access_key_secret, _time_zone(time_zone)
        )
        self._transport = Transport(
            Endpoint.parse(endpoint, context_path),
            self._auth,
            verify=verify,
            request_timeout=request_timeout,
            retry_policy=retry_policy or RetryPolicy(),
            user_agent=user_agent or _default_user_agent(),
        )
        self._jobs = JobRunner(self._transport, poll_policy or PollPolicy(), job_timeout)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> ZStackClient:
        """Build a client from ``ZSTACK_*`` environment variables; keyword arguments win.

        The variables and rules are the provider's (one resolver, :meth:`Settings.resolve
        <pulumi_zstack.config.Settings.resolve>`): ``ZSTACK_ENDPOINT`` (URL or bare ``host[:port]``),
        or ``ZSTACK_HOST`` + ``ZSTACK_PORT`` (default 8080, http); ``ZSTACK_CONTEXT_PATH``;
        ``ZSTACK_ACCOUNT_NAME`` + ``ZSTACK_ACCOUNT_PASSWORD`` and/or ``ZSTACK_ACCESS_KEY_ID`` +
        ``ZSTACK_ACCESS_KEY_SECRET`` (the account wins when both are complete);
        ``ZSTACK_INSECURE`` / ``ZSTACK_CA_BUNDLE`` (unless ``verify=`` is passed);
        ``ZSTACK_JOB_TIMEOUT``; ``ZSTACK_REQUEST_TIMEOUT``; ``ZSTACK_TIME_ZONE``. If any
        credential is passed as a keyword, the credentials in the environment are ignored. Other keywords
        (``retry_policy=``, ``poll_policy=``, ``user_agent=``) are passed on.
        """
        from pulumi_zstack.config import CLIENT_PARAMETERS, ENV_VARS, Settings, SettingsError

        env = dict(os.environ if environ is None else environ)
        given = {key: value for key, value in overrides.items() if value is not None}
        if any(given.get(name) for name in _CREDENTIALS):
            for var in _CREDENTIALS.values():
                env.pop(var, None)
        by_key = {key: given.pop(param) for key, param in CLIENT_PARAMETERS.items() if param in given}

        def describe(key: str) -> str:
            param = CLIENT_PARAMETERS.get(key)
            return f"{param}= (env {ENV_VARS[key]})" if param else ENV_VARS[key]

        try:
            settings = Settings.resolve(by_key.get, env, describe=describe)
        except SettingsError as exc:
            raise ConfigurationError(str(exc)) from None
        return cls(**{**settings.client_arguments(), **given})

    # ---------------------------------------------------------------- API areas

    @cached_property
    def zones(self) -> ZonesClient:
        """Zones: ``query``, ``count``, ``get``, ``create``, ``delete``."""
        from .zones import ZonesClient

        return ZonesClient(self._transport, self._jobs)

    @cached_property
    def backup_storage(self) -> BackupStorageClient:
        """Backup storage: ``query``, ``count``, ``get``, ``add_image_store``, ``add_sftp``,
        ``delete``, ``attach_to_zone``, ``detach_from_zone``."""
        from .backup_storage import BackupStorageClient

        return BackupStorageClient(self._transport, self._jobs)

    @cached_property
    def clusters(self) -> ClustersClient:
        """Clusters: ``query``, ``count``, ``get``, ``create``, ``delete``."""
        from .clusters import ClustersClient

        return ClustersClient(self._transport, self._jobs)

    @cached_property
    def primary_storage(self) -> PrimaryStorageClient:
        """Primary storage: ``query``, ``count``, ``get``, ``delete``, ``attach_to_cluster``,
        ``detach_from_cluster``."""
        from .primary_storage import PrimaryStorageClient

        return PrimaryStorageClient(self._transport, self._jobs)

    @cached_property
    def l2_networks(self) -> L2NetworksClient:
        """L2 networks: ``query``, ``count``, ``get``, ``delete``, ``attach_to_cluster``,
        ``detach_from_cluster``."""
        from .l2_networks import L2NetworksClient

        return L2NetworksClient(self._transport, self._jobs)

    @property
    def jobs(self) -> JobRunner:
        """Async jobs: ``outcomes(job_uuids)`` tells what became of earlier jobs."""
        return self._jobs

    # ---------------------------------------------------------------- session

    @property
    def endpoint(self) -> str:
        """The base URL every call goes to, e.g. ``http://127.0.0.1:8080/zstack``."""
        return self._transport.endpoint.base_url

    @property
    def auth_mode(self) -> str:
        """``"session"`` (account login) or ``"access-key"``."""
        return self._auth.mode

    def login(self) -> None:
        """Log in now (otherwise the first call does). A no-op with an access key."""
        self._auth.token(self._transport)

    def logout(self) -> None:
        """End the session, if any; the next call logs in again."""
        self._auth.logout(self._transport)

    def close(self) -> None:
        """Log out (errors are logged, not raised) and close pooled connections."""
        try:
            self.logout()
        except ZStackError as exc:
            logger.debug("logout on close failed: %s", exc)
        finally:
            self._transport.close()

    def __enter__(self) -> ZStackClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ZStackClient(endpoint={self.endpoint!r}, auth={self.auth_mode!r})"


def _auth(
    account_name: str | None,
    account_password: str | None,
    access_key_id: str | None,
    access_key_secret: str | None,
    time_zone: tzinfo | None = None,
) -> Auth:
    """The authentication the given credentials call for, or a :class:`ConfigurationError`."""
    given = {
        "account_name": account_name,
        "account_password": account_password,
        "access_key_id": access_key_id,
        "access_key_secret": access_key_secret,
    }
    for first, second in (("account_name", "account_password"), ("access_key_id", "access_key_secret")):
        if bool(given[first]) != bool(given[second]):
            missing = second if given[first] else first
            present = first if given[first] else second
            raise ConfigurationError(
                f"{present} is set but {missing} is not: pass {missing}= or set {_CREDENTIALS[missing]}"
            )
    has_account = bool(account_name)
    has_key = bool(access_key_id)
    if has_account and has_key:
        raise ConfigurationError(
            "both account_name/account_password (ZSTACK_ACCOUNT_NAME/ZSTACK_ACCOUNT_PASSWORD) and "
            "access_key_id/access_key_secret (ZSTACK_ACCESS_KEY_ID/ZSTACK_ACCESS_KEY_SECRET) are set: "
            "use one of them"
        )
    if account_name and account_password:
        return SessionAuth(account_name, account_password)
    if access_key_id and access_key_secret:
        return AccessKeyAuth(access_key_id, access_key_secret, time_zone=time_zone)
    raise ConfigurationError(
        "no ZStack credentials: pass account_name= and account_password= (ZSTACK_ACCOUNT_NAME, "
        "ZSTACK_ACCOUNT_PASSWORD) or access_key_id= and access_key_secret= (ZSTACK_ACCESS_KEY_ID, "
        "ZSTACK_ACCESS_KEY_SECRET)"
    )


def _time_zone(name: str | None) -> tzinfo | None:
    """The zone named ``name`` (None or empty: this machine's), or a :class:`ConfigurationError`."""
    if not name:
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"time_zone {name!r} is not an IANA time zone name such as Asia/Shanghai "
            "(parameter time_zone, env ZSTACK_TIME_ZONE)"
        ) from None


def _default_user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"pulumi-zstack/{version('pulumi-zstack')}"
    except PackageNotFoundError:
        return "pulumi-zstack/0+unknown"
