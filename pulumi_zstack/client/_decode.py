"""Error decoding: a ZStack error body or a plain-text refusal becomes the exception it stands for."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .errors import (
    AccessKeyFailure,
    AuthenticationError,
    JobFailedError,
    NotFoundError,
    PermissionDeniedError,
    ZStackAPIError,
)

SESSION_INVALID_CODES = frozenset({"ID.1001", "ORG_ZSTACK_IDENTITY_10020"})


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
