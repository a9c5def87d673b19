"""One pooled ``requests.Session`` per endpoint: sending, retrying and decoding answers.

Nothing above this module builds URLs, adds headers, retries or decodes errors.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from ._auth import Auth
from ._decode import SESSION_INVALID_CODES, access_key_failure, api_error
from ._endpoint import Endpoint
from ._redact import redact as redact_secrets
from ._redact import redact_session_path, redact_urllib3_logs
from ._retry import RetryPolicy
from .errors import AuthenticationError, TransportError, ZStackAPIError, one_line

logger = logging.getLogger("pulumi_zstack.client")

_POOL_SIZE = 32


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
        redact_urllib3_logs()
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
            raise self.not_zstack(reply, operation, "the answer is not a JSON object", job_uuid=job_uuid)
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
            return self.not_zstack(reply, operation, f"unexpected HTTP {reply.status}", job_uuid=job_uuid)
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

    def not_zstack(
        self, reply: Reply, operation: str, what: str, *, job_uuid: str | None = None
    ) -> TransportError:
        """A :class:`TransportError` for an answer that cannot come from the ZStack REST API
        (``job_uuid``: it answered a poll of that accepted job)."""
        return TransportError(
            f"{operation}: {what} from {self.endpoint.base_url}; is this a ZStack endpoint with context "
            f"path '/{self.endpoint.context_path}'? ({self._snippet(reply)})",
            kind="not_zstack",
            endpoint=self.endpoint.base_url,
            operation=operation,
            status=reply.status,
            job_uuid=job_uuid,
        )

    def _snippet(self, reply: Reply) -> str:
        kind = reply.content_type.split(";")[0] or "no content type"
        return f"HTTP {reply.status}, {kind}: {self.redact(one_line(reply.text, 120)) or 'empty body'}"

    def redact(self, text: str) -> str:
        """``text`` with this client's secrets and anything shaped like a credential replaced by ``***``."""
        return redact_secrets(text, self.auth.secrets())

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
                self.redact(redact_session_path(path)),
                outcome,
                (time.monotonic() - sent) * 1000,
                attempt,
            )
