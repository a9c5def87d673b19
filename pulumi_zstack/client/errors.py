"""The exception hierarchy of the ZStack client.

Everything the client raises on purpose derives from :class:`ZStackError`, itself a
:class:`~pulumi_zstack.errors.PulumiZStackError` (the root of the whole package)::

    ZStackError
    ├── ConfigurationError        bad or missing endpoint / credentials (names parameter and env var)
    ├── TransportError            network, TLS, timeout, or a response that is not from ZStack
    ├── JobTimeoutError           an async job was still running at the deadline
    ├── JobExpiredError           the server forgot a job before we saw its result (outcome unknown)
    └── ZStackAPIError            the server answered with an error (.code .description .details ...)
        ├── AuthenticationError   ID.1000 bad login, ID.1001 session invalid (after one re-login),
        │   │                     access key refused: unknown key, signature, Date, clock skew
        │   └── PermissionDeniedError   ID.1002
        ├── NotFoundError         SYS.1003, and ``get()`` of an unknown uuid
        └── JobFailedError        any other failure reported by an async job

Errors are classified by their code alone: the management node translates ``details`` into its
locale. ``SYS.1006`` ("an operation failed") covers many causes, e.g. attaching a pair that is
already attached or detaching one that is not; it is a :class:`JobFailedError`, and a caller
that must know which case it was reads the pair back.

Messages are one line, name the API operation, and never contain a password, secret,
session uuid, signature or ``Authorization`` header.
"""

from __future__ import annotations

from typing import Literal

from pulumi_zstack.errors import PulumiZStackError

__all__ = [
    "AccessKeyFailure",
    "AuthenticationError",
    "ConfigurationError",
    "JobExpiredError",
    "JobFailedError",
    "JobTimeoutError",
    "NotFoundError",
    "PermissionDeniedError",
    "TransportError",
    "TransportFailure",
    "ZStackAPIError",
    "ZStackError",
]


def one_line(text: str, limit: int = 300) -> str:
    """Collapse whitespace (including newlines) and cut ``text`` to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


class ZStackError(PulumiZStackError):
    """Root of every error raised by :mod:`pulumi_zstack.client`."""


class ConfigurationError(ZStackError):
    """The client cannot be built: endpoint or credentials missing, half-set or malformed."""


TransportFailure = Literal["tls", "connection", "read_timeout", "unavailable", "not_zstack"]
"""What went wrong under a :class:`TransportError`: the TLS handshake; the connection (refused,
reset, dropped, connect timeout); no answer within the request timeout; only bodiless
502/503/504 answers; an answer that cannot come from the ZStack REST API."""


class TransportError(ZStackError):
    """The request did not get a usable ZStack answer.

    Raised for connection, TLS and timeout failures once retries are exhausted, and for
    responses that do not come from a ZStack REST endpoint (an HTML page, an unexpected 404).

    :ivar kind: the :data:`TransportFailure`.
    :ivar reason: the message without ``advice``.
    :ivar advice: what to change in the client's own parameters, if anything (also in ``str()``).
    :ivar job_uuid: set when the failure hit the polling of an accepted job (which may still finish).
    """

    def __init__(
        self,
        message: str,
        *,
        kind: TransportFailure,
        endpoint: str,
        operation: str,
        status: int | None = None,
        advice: str | None = None,
        job_uuid: str | None = None,
    ) -> None:
        self.reason = one_line(message, 500)
        super().__init__(f"{self.reason}; {advice}" if advice else self.reason)
        self.kind = kind
        self.endpoint = endpoint
        self.operation = operation
        self.status = status
        self.advice = advice
        self.job_uuid = job_uuid


class JobTimeoutError(ZStackError):
    """An async job was still running when the client's deadline passed; it may still finish."""

    def __init__(self, *, operation: str, job_uuid: str, timeout: float) -> None:
        super().__init__(
            f"{operation} job {job_uuid} still running after {timeout:g}s; it may still finish "
            "on the server: query the resource to see its outcome"
        )
        self.operation = operation
        self.job_uuid = job_uuid
        self.timeout = timeout


class JobExpiredError(ZStackError):
    """The server answered ``the job has been expired`` while we polled: the outcome is unknown."""

    def __init__(self, *, operation: str, job_uuid: str) -> None:
        super().__init__(
            f"{operation} job {job_uuid} expired on the server before its result was read; "
            "the outcome is unknown: query the resource to see whether the change happened"
        )
        self.operation = operation
        self.job_uuid = job_uuid


class ZStackAPIError(ZStackError):
    """The ZStack server rejected a call.

    :ivar code: ZStack error code (``SYS.1006``, ``ID.1001`` ...), ``None`` for plain-text REST errors.
    :ivar description: the generic description of the code (or the plain-text body).
    :ivar details: the specific reason, e.g. ``backup storage[uuid:...] has been attached to zone[...]``,
        in the management node's locale (``镜像服务器[uuid:...]已经被加载到zone[...]`` on ``zh_CN``).
    :ivar status: the HTTP status of the answer that carried the error.
    :ivar operation: the API name, e.g. ``AttachBackupStorageToZone``.
    :ivar job_uuid: the async job that reported the error, if any.
    """

    def __init__(
        self,
        *,
        code: str | None,
        description: str,
        details: str | None,
        status: int,
        operation: str,
        job_uuid: str | None = None,
    ) -> None:
        self.code = code
        self.description = description
        self.details = details
        self.status = status
        self.operation = operation
        self.job_uuid = job_uuid
        reason = f"{code} {description}" if code else f"HTTP {status}: {description}"
        if details and details != description:
            reason = f"{reason}: {details}"
        super().__init__(one_line(f"{operation} failed: {reason}", 1000))


AccessKeyFailure = Literal[
    "malformed", "unknown_key", "signature", "date_missing", "date_format", "clock_skew"
]
"""Why the REST layer refused an access-key request (a plain-text answer): the ``Authorization``
header is malformed; the key id is unknown or disabled; the signature is wrong; the ``Date``
header is missing, or not ``EEE, dd MMM yyyy HH:mm:ss z``; the Date is more than 15 minutes from
the node's clock (``requestTimeTooSkewed``)."""


class AuthenticationError(ZStackAPIError):
    """Credentials were refused: wrong account/password, invalid session, bad access key or signature.

    :ivar access_key_failure: for a refused access-key request, the :data:`AccessKeyFailure`;
        ``None`` otherwise.
    """

    def __init__(
        self,
        *,
        code: str | None,
        description: str,
        details: str | None,
        status: int,
        operation: str,
        job_uuid: str | None = None,
        access_key_failure: AccessKeyFailure | None = None,
    ) -> None:
        super().__init__(
            code=code,
            description=description,
            details=details,
            status=status,
            operation=operation,
            job_uuid=job_uuid,
        )
        self.access_key_failure = access_key_failure


class PermissionDeniedError(AuthenticationError):
    """``ID.1002``: the account may not perform this operation."""


class NotFoundError(ZStackAPIError):
    """``SYS.1003``, or a ``get()`` whose uuid the server does not know."""


class JobFailedError(ZStackAPIError):
    """An async job finished with an error that no more specific class describes."""
