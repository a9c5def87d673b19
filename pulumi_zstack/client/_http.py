"""HTTP layer: endpoint, ``requests`` session, authentication, retries and error decoding.

Nothing above this module builds URLs, adds headers, retries or decodes errors.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter

from .errors import (
    AccessKeyFailure,
    AuthenticationError,
    ConfigurationError,
    JobFailedError,
    NotFoundError,
    PermissionDeniedError,
    TransportError,
    ZStackAPIError,
    one_line,
)

logger = logging.getLogger("pulumi_zstack.client")

DEFAULT_PORT = 8080
DEFAULT_CONTEXT_PATH = "zstack"
SESSION_INVALID_CODES = frozenset({"ID.1001", "ORG_ZSTACK_IDENTITY_10020"})
_POOL_SIZE = 32
_CREDENTIAL = re.compile(r"\b(OAuth|ZStack)\s+(?:[^\s:]+:[A-Za-z0-9+/=]{8,}|[0-9a-fA-F-]{16,})")


_SESSION_PATH = re.compile(r"(/accounts/sessions/)[^/\s\"?]+")


class _RedactSessionPaths(logging.Filter):
    """Hide the session uuid in the logout path that ``urllib3`` logs at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _SESSION_PATH.sub(r"\1***", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


def _redact_urllib3_logs() -> None:
    pool_logger = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, _RedactSessionPaths) for f in pool_logger.filters):
        pool_logger.addFilter(_RedactSessionPaths())


def path_segment(value: str) -> str:
    """Quote one path segment (a uuid) so it can never change the shape of the URL."""
    return quote(value, safe="")


# --------------------------------------------------------------------------- endpoint


@dataclass(frozen=True)
class Endpoint:
    """Where the management node answers: ``scheme://host:port/<context path>``."""

    scheme: str
    host: str
    port: int
    context_path: str

    @classmethod
    def parse(cls, endpoint: str, context_path: str = DEFAULT_CONTEXT_PATH) -> Endpoint:
        """Parse ``http(s)://host[:port][/context]`` or a bare ``host[:port]`` (http, port 8080).

        A path in the URL is the context path and wins over ``context_path``; a trailing
        ``/v1`` is ignored. Raises :class:`ConfigurationError` for anything else.
        """
        hint = "parameter endpoint, env ZSTACK_ENDPOINT (or ZSTACK_HOST/ZSTACK_PORT)"
        text = endpoint.strip()
        shown = re.sub(r"//[^/@]*@", "//***@", text)
        if not text:
            raise ConfigurationError(f"the ZStack endpoint is empty ({hint})")
        has_scheme = "://" in text
        try:
            parts = urlsplit(text if has_scheme else f"http://{text}")
            port = parts.port
        except ValueError as exc:
            raise ConfigurationError(f"malformed ZStack endpoint {shown!r}: {exc} ({hint})") from None
        if parts.scheme not in ("http", "https"):
            raise ConfigurationError(
                f"malformed ZStack endpoint {shown!r}: scheme must be http or https ({hint})"
            )
        if not parts.hostname or parts.username or parts.password or parts.query or parts.fragment:
            raise ConfigurationError(
                f"malformed ZStack endpoint {shown!r}: expected http(s)://host[:port][/context-path] ({hint})"
            )
        if port is None:
            port = DEFAULT_PORT if not has_scheme else (443 if parts.scheme == "https" else 80)
        path = parts.path.strip("/")
        if path == "v1" or path.endswith("/v1"):
            path = path[:-2].rstrip("/")
        return cls(parts.scheme, parts.hostname, port, path or context_path.strip("/"))

    @property
    def base_url(self) -> str:
        """``scheme://host:port[/context]``, what every API path is appended to."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        context = f"/{self.context_path}" if self.context_path else ""
        return f"{self.scheme}://{host}:{self.port}{context}"

    def url(self, path: str) -> str:
        """The full URL of an API path such as ``/v1/zones``."""
        return self.base_url + path


# --------------------------------------------------------------------------- retry policy


@dataclass(frozen=True)
class RetryPolicy:
    """When and how a failed HTTP request is sent again.

    **Retried**: connection failures (refused, reset, dropped before an answer), connect and
    read timeouts, and HTTP 502/503/504 answers that carry no ZStack error body (a proxy or a
    management node that is starting). TLS failures are never retried.

    **Never retried**: business errors (HTTP 503 with ``{"error": ...}``), every 4xx, and
    well-formed answers. The one exception is an invalid session (``ID.1001`` /
    ``ORG_ZSTACK_IDENTITY_10020``): the client logs in again once and repeats the call.

    **Why every call is safe to repeat**: queries and job polls are GETs; login only creates
    a session; logout of an unknown session succeeds. Every async submit carries an
    ``X-Job-UUID`` chosen by the client and a repeat uses the same uuid, so the server either
    never saw the first attempt or answers 400 "duplicate job" -- then the client polls that
    job instead. A call is therefore never executed twice on the server.

    **Backoff**: truncated exponential with jitter: before retry *n* (1-based) the client
    sleeps ``uniform(0.5, 1) * min(max_delay, base_delay * multiplier ** (n - 1))``.
    At most ``max_attempts`` attempts in all, and no retry starts once ``max_elapsed``
    seconds have passed since the first attempt. With the defaults (5 attempts, 0.2 s base,
    x2, 5 s cap) a dead endpoint is reported after about 3 s plus the timeouts.
    """

    max_attempts: int = 5
    base_delay: float = 0.2
    multiplier: float = 2.0
    max_delay: float = 5.0
    max_elapsed: float = 60.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigurationError("RetryPolicy.max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.multiplier < 1 or self.max_elapsed < 0:
            raise ConfigurationError("RetryPolicy delays must be >= 0 and multiplier >= 1")

    def delay(self, retry: int, rng: random.Random | None = None) -> float:
        """Seconds to sleep before retry number ``retry`` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * self.multiplier ** (retry - 1))
        return ceiling * (rng or random).uniform(0.5, 1.0)

    def allows(self, attempt: int, elapsed: float) -> bool:
        """Whether another attempt may follow attempt number ``attempt`` after ``elapsed`` seconds."""
        return attempt < self.max_attempts and elapsed < self.max_elapsed


# --------------------------------------------------------------------------- authentication


class Auth:
    """How requests prove who they are. Subclasses never expose a secret in ``repr``."""

    mode: str = ""

    def token(self, transport: Transport) -> str | None:
        """The session to use for the next request (logging in if needed); ``None`` if sessionless."""
        raise NotImplementedError

    def headers(self, method: str, path: str, token: str | None) -> dict[str, str]:
        """The authentication headers of one attempt of a request to ``path`` (``/v1/...``)."""
        raise NotImplementedError

    def invalidate(self, token: str | None) -> bool:
        """The server said ``token`` is invalid. Return whether a fresh login may fix it."""
        return False

    def logout(self, transport: Transport) -> None:
        """End the session, if there is one."""

    def secrets(self) -> list[str]:
        """Strings that must never appear in a message or a log line."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class SessionAuth(Auth):
    """Account login (``LogInByAccount``): one session per client, shared by every thread.

    Many threads asking for a session at once cause exactly one login (a lock with a
    double-check). When the server calls a session invalid, it is dropped only if it is
    still the current one, so a burst of failures across threads causes one re-login.
    """

    mode = "session"

    def __init__(self, account_name: str, account_password: str) -> None:
        self._account_name = account_name
        # Only the hash is kept: it is what the server checks, and it is never shown either.
        self._password_hash = hashlib.sha512(account_password.encode()).hexdigest()
        self._lock = threading.Lock()
        self._session: str | None = None
        self._retired: list[str] = []

    def token(self, transport: Transport) -> str:
        session = self._session
        if session is not None:
            return session
        with self._lock:
            if self._session is None:
                self._session = self._login(transport)
            return self._session

    def _login(self, transport: Transport) -> str:
        body = {"logInByAccount": {"accountName": self._account_name, "password": self._password_hash}}
        reply = transport.send("PUT", "/v1/accounts/login", operation="LogInByAccount", json=body, auth=False)
        payload = transport.decode(reply, "LogInByAccount")
        inventory = payload.get("inventory")
        session = inventory.get("uuid") if isinstance(inventory, dict) else None
        if not isinstance(session, str) or not session:
            raise transport.not_zstack(reply, "LogInByAccount", "login answer has no session uuid")
        return session

    def headers(self, method: str, path: str, token: str | None) -> dict[str, str]:
        return {"Authorization": f"OAuth {token}"} if token else {}

    def invalidate(self, token: str | None) -> bool:
        with self._lock:
            if token is not None and self._session == token:
                self._session = None
                self._retired.append(token)
        return True

    def logout(self, transport: Transport) -> None:
        with self._lock:
            session, self._session = self._session, None
            if session is None:
                return
            self._retired.append(session)
        reply = transport.send(
            "DELETE", f"/v1/accounts/sessions/{path_segment(session)}", operation="LogOut", auth=False
        )
        transport.decode(reply, "LogOut")

    def secrets(self) -> list[str]:
        current = self._session
        return [self._password_hash, *self._retired, *([current] if current else [])]


class AccessKeyAuth(Auth):
    """AccessKey signing: every request carries ``Date`` and ``Authorization: ZStack <id>:<sig>``.

    The ``Date`` is the wall time in ``time_zone`` (None: this machine's zone), see :func:`request_date`.
    """

    mode = "access-key"

    def __init__(
        self,
        access_key_id: str,
        access_key_secret: str,
        clock: Callable[[], float] = time.time,
        time_zone: tzinfo | None = None,
    ):
        self._key_id = access_key_id
        self._secret = access_key_secret
        self._clock = clock
        self._time_zone = time_zone

    def token(self, transport: Transport) -> None:
        return None

    def headers(self, method: str, path: str, token: str | None) -> dict[str, str]:
        date = request_date(self._clock(), self._time_zone)
        return {
            "Date": date,
            "Authorization": f"ZStack {self._key_id}:{sign(self._secret, method, date, path)}",
        }

    def secrets(self) -> list[str]:
        return [self._secret]


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def request_date(epoch: float, time_zone: tzinfo | None) -> str:
    """The access-key ``Date`` of ``epoch``: ``EEE, dd MMM yyyy HH:mm:ss z`` in ``time_zone``.

    E.g. ``Wed, 02 Dec 2026 13:05:00 GMT+08:00`` in Asia/Shanghai (``time_zone=None``: the zone
    of this machine, as the official SDKs do).

    With the default ``rest.checkTimeZone = false`` the management node compares the wall time
    with its own wall time and ignores the label (``RestServer.checkTime`` / ``checkTimeSkewing``
    in zstackio/zstack ``rest/src/main/java/org/zstack/rest/RestServer.java``), so the wall time
    must be in the node's zone. With ``true`` it compares instants, so the label must give the
    exact offset. The node parses the label with ``DateTimeFormatter`` pattern ``z`` (ENGLISH);
    java.time reads ``GMT`` followed by ``+HH:MM`` as exactly that offset (``ZoneIdPrinterParser``:
    prefix ``GMT`` then ``OffsetIdPrinterParser("+HH:MM:ss")``), whereas a zone abbreviation is
    looked up in a name table where ``CST`` is ``America/Chicago``, not China, and numeric
    abbreviations like ``+08`` are refused. Hence ``GMT+HH:MM`` (``GMT`` alone for UTC).
    """
    local = datetime.fromtimestamp(epoch, UTC).astimezone(time_zone)
    offset = local.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    label = "GMT"
    if seconds:
        sign = "+" if seconds > 0 else "-"
        hours, rest = divmod(abs(seconds), 3600)
        minutes, secs = divmod(rest, 60)
        label = f"GMT{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
    return (
        f"{_DAY_NAMES[local.weekday()]}, {local.day:02d} {_MONTH_NAMES[local.month - 1]} {local.year:04d} "
        f"{local.hour:02d}:{local.minute:02d}:{local.second:02d} {label}"
    )


def sign(secret: str, method: str, date: str, uri: str) -> str:
    """``base64(HMAC-SHA1(secret, METHOD + "\\n" + Date + "\\n" + uri))``, ``uri`` = ``/v1/...``."""
    digest = hmac.new(secret.encode(), f"{method.upper()}\n{date}\n{uri}".encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# --------------------------------------------------------------------------- transport


@dataclass
class Reply:
    """One HTTP answer: status, parsed JSON (if any), raw text and how many attempts it took."""

    status: int
    payload: Any
    text: str
    content_type: str
    attempts: int = 1

    @property
    def error(self) -> dict[str, Any] | None:
        """The ZStack ``{"error": {...}}`` object, if the body is one."""
        error = self.payload.get("error") if isinstance(self.payload, dict) else None
        return error if isinstance(error, dict) else None


class Transport:
    """Sends requests to one ZStack endpoint through one pooled ``requests.Session``.

    Thread-safe: many threads may call :meth:`request` and :meth:`send` at once.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        auth: Auth,
        *,
        verify: bool | str,
        request_timeout: float,
        retry_policy: RetryPolicy,
        user_agent: str,
    ) -> None:
        self.endpoint = endpoint
        self.auth = auth
        self.retry_policy = retry_policy
        self._timeout = (min(request_timeout, 10.0), request_timeout)
        _redact_urllib3_logs()
        self._session = requests.Session()
        self._session.verify = verify
        self._session.trust_env = False
        self._session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=_POOL_SIZE)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def close(self) -> None:
        """Close pooled connections."""
        self._session.close()

    # ---------------------------------------------------------------- high level

    def request(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        params: Sequence[tuple[str, str]] | None = None,
        json: Any = None,
    ) -> dict[str, Any]:
        """A synchronous authenticated call: send, re-login once on an invalid session, decode."""
        for relogged in (False, True):
            token = self.auth.token(self)
            reply = self.send(method, path, operation=operation, params=params, json=json, token=token)
            try:
                return self.decode(reply, operation)
            except AuthenticationError as exc:
                if relogged or not self.session_invalid(exc) or not self.auth.invalidate(token):
                    raise
                logger.debug("%s: session invalid, logging in again", operation)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def session_invalid(exc: ZStackAPIError) -> bool:
        """Whether ``exc`` says the session is unknown or expired (a new login may help)."""
        return exc.code in SESSION_INVALID_CODES

    # ---------------------------------------------------------------- one request, retried

    def send(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        params: Sequence[tuple[str, str]] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        token: str | None = None,
        auth: bool = True,
    ) -> Reply:
        """Send one request, retrying as :class:`RetryPolicy` says; return the answer undecoded.

        ``path`` is the API path (``/v1/...``). Raises :class:`TransportError` when no answer
        came back or the last answer was a bodiless 502/503/504.
        """
        url = self.endpoint.url(path)
        policy = self.retry_policy
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            request_headers = dict(headers or {})
            if auth:
                request_headers.update(self.auth.headers(method, path, token))
            sent = time.monotonic()
            try:
                response = self._session.request(
                    method, url, params=params, json=json, headers=request_headers, timeout=self._timeout
                )
            except requests.exceptions.SSLError as exc:
                self._log(method, path, "TLS error", sent, attempt)
                raise TransportError(
                    f"{operation}: TLS handshake with {self.endpoint.base_url} failed ({self._reason(exc)})",
                    kind="tls",
                    advice="pass verify=<CA bundle path> or verify=False",
                    endpoint=self.endpoint.base_url,
                    operation=operation,
                ) from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                reason = self._reason(exc)
                self._log(method, path, reason, sent, attempt)
                if policy.allows(attempt, time.monotonic() - started):
                    time.sleep(policy.delay(attempt))
                    continue
                raise TransportError(
                    f"{operation}: no answer from {self.endpoint.base_url} after {attempt} attempt(s): "
                    f"{reason}",
                    kind="read_timeout" if isinstance(exc, requests.exceptions.ReadTimeout) else "connection",
                    endpoint=self.endpoint.base_url,
                    operation=operation,
                ) from None
            reply = self._reply(response, attempt)
            self._log(method, path, str(reply.status), sent, attempt)
            if reply.status in (502, 503, 504) and reply.error is None:
                if policy.allows(attempt, time.monotonic() - started):
                    time.sleep(policy.delay(attempt))
                    continue
                raise TransportError(
                    f"{operation}: {self.endpoint.base_url} answered HTTP {reply.status} without a ZStack "
                    f"error body after {attempt} attempt(s): {self._snippet(reply)}",
                    kind="unavailable",
                    endpoint=self.endpoint.base_url,
                    operation=operation,
                    status=reply.status,
                )
            return reply

    @staticmethod
    def _reply(response: requests.Response, attempt: int) -> Reply:
        text = response.text
        content_type = response.headers.get("Content-Type", "")
        payload: Any = None
        if text and "html" not in content_type:
            try:
                payload = response.json()
            except ValueError:
                payload = None
        return Reply(response.status_code, payload, text, content_type, attempt)

    # ---------------------------------------------------------------- decoding

    def decode(self, reply: Reply, operation: str, *, job_uuid: str | None = None) -> dict[str, Any]:
        """Return the JSON object of a 200/202 answer, or raise the error the answer carries."""
        if reply.status in (200, 202):
            if isinstance(reply.payload, dict):
                return reply.payload
            raise self.not_zstack(reply, operation, "the answer is not a JSON object")
        raise self.error(reply, operation, job_uuid=job_uuid)

    def error(self, reply: Reply, operation: str, *, job_uuid: str | None = None) -> Exception:
        """The exception an error answer stands for (a :class:`ZStackAPIError` or :class:`TransportError`)."""
        body = reply.error
        if body is not None:
            return api_error(
                body, status=reply.status, operation=operation, job_uuid=job_uuid, redact=self.redact
            )
        looks_like_html = "html" in reply.content_type or reply.text.lstrip().startswith("<")
        if looks_like_html or reply.status == 404 or reply.status < 400:
            return self.not_zstack(reply, operation, f"unexpected HTTP {reply.status}")
        text = self.redact(one_line(reply.text)) or "no body"
        failure = access_key_failure(reply.status, reply.text)
        if failure is not None or reply.status in (401, 403):
            return AuthenticationError(
                code=None,
                description=text,
                details=None,
                status=reply.status,
                operation=operation,
                job_uuid=job_uuid,
                access_key_failure=failure,
            )
        return ZStackAPIError(
            code=None,
            description=text,
            details=None,
            status=reply.status,
            operation=operation,
            job_uuid=job_uuid,
        )

    def not_zstack(self, reply: Reply, operation: str, what: str) -> TransportError:
        """A :class:`TransportError` for an answer that cannot come from the ZStack REST API."""
        return TransportError(
            f"{operation}: {what} from {self.endpoint.base_url}; is this a ZStack endpoint with context "
            f"path '/{self.endpoint.context_path}'? ({self._snippet(reply)})",
            kind="not_zstack",
            endpoint=self.endpoint.base_url,
            operation=operation,
            status=reply.status,
        )

    def _snippet(self, reply: Reply) -> str:
        kind = reply.content_type.split(";")[0] or "no content type"
        return f"HTTP {reply.status}, {kind}: {self.redact(one_line(reply.text, 120)) or 'empty body'}"

    def redact(self, text: str) -> str:
        """``text`` with every known secret and anything shaped like a credential replaced by ``***``."""
        for secret in self.auth.secrets():
            if secret:
                text = text.replace(secret, "***")
        return _CREDENTIAL.sub(r"\1 ***", text)

    def _reason(self, exc: BaseException) -> str:
        """A short, secret-free reason for a network failure (``requests`` messages embed the URL)."""
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return f"connect timed out after {self._timeout[0]:g}s"
        if isinstance(exc, requests.exceptions.ReadTimeout):
            return f"no answer within {self._timeout[1]:g}s (read timeout)"
        inner: BaseException = exc
        while True:
            nested = inner.__context__ or inner.__cause__
            if nested is None or nested is inner:
                break
            inner = nested
        reason = getattr(inner, "reason", None)
        if isinstance(inner, OSError) and inner.strerror:
            text = inner.strerror
        elif isinstance(reason, BaseException):
            text = str(reason)
        else:
            text = str(inner)
        text = text.split("url:")[0] if "url:" in text else text
        return self.redact(one_line(f"{type(inner).__name__}: {text}", 200))

    def _log(self, method: str, path: str, outcome: str, sent: float, attempt: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s in %.1f ms (attempt %d)",
                method,
                self.redact(_SESSION_PATH.sub(r"\1***", path)),
                outcome,
                (time.monotonic() - sent) * 1000,
                attempt,
            )


# The REST layer's plain-text refusals of an access-key request: fixed English texts, never
# localised (zstackio/zstack rest/.../RestServer.java handleApi and checkTime; the access-key
# backend org.zstack.accessKey.AccessKeyManager.doAuth). (status, start of the text, failure).
_ACCESS_KEY_REFUSALS: tuple[tuple[int, str, AccessKeyFailure], ...] = (
    (400, "accessKey format is ", "malformed"),
    (400, "Invalid authKey format", "malformed"),
    (400, "'Date' must be incuded in request header", "date_missing"),
    (400, "'Date' format error", "date_format"),
    (403, "requestTimeTooSkewed", "clock_skew"),
    (403, "access key id: ", "unknown_key"),
    (403, "wrong accessKey signature", "signature"),
)


def access_key_failure(status: int, text: str) -> AccessKeyFailure | None:
    """Which access-key refusal a plain-text answer is, if it is one."""
    body = text.strip()
    for expected_status, start, failure in _ACCESS_KEY_REFUSALS:
        if status == expected_status and body.startswith(start):
            return failure
    return None


def api_error(
    body: Mapping[str, Any],
    *,
    status: int,
    operation: str,
    job_uuid: str | None = None,
    redact: Callable[[str], str] = lambda text: text,
) -> ZStackAPIError:
    """Map a ZStack ``{"error": {...}}`` object to the most specific :class:`ZStackAPIError`.

    Only the error code decides, never the wording: a management node translates ``details``
    into its locale (``zh_CN`` by default). A code that covers many failures (``SYS.1006``, "an
    operation failed") stays a :class:`JobFailedError` / :class:`ZStackAPIError`; a caller
    that needs to know what happened reads the resource back.
    """
    code = str(body.get("code") or "") or None
    description = redact(str(body.get("description") or code or "unknown error"))
    details = body.get("details")
    details = redact(str(details)) if details else None
    codes = {code, str(body.get("globalErrorCode") or "")}
    cls: type[ZStackAPIError]
    if codes & {"ID.1000", *SESSION_INVALID_CODES}:
        cls = AuthenticationError
    elif "ID.1002" in codes:
        cls = PermissionDeniedError
    elif "SYS.1003" in codes:
        cls = NotFoundError
    elif job_uuid is not None:
        cls = JobFailedError
    else:
        cls = ZStackAPIError
    return cls(
        code=code,
        description=description,
        details=details,
        status=status,
        operation=operation,
        job_uuid=job_uuid,
    )
