"""Credentials of API calls: the ``Authorization`` header, sessions and access keys.

* ``Authorization: OAuth <session uuid>``: a session; whether it is valid is a
  business check made later (immediately for queries, in the job for async calls).
* ``Authorization: ZStack <accessKeyId>:<signature>`` with a ``Date`` header: the
  signature is ``base64(HMAC-SHA1(secret, METHOD + "\\n" + Date + "\\n" + uri))``
  where ``uri`` is the path without the context path and without the query. The
  real verifier is closed source; the simulator answers a Date more than 15
  minutes off with 403 ``requestTimeTooSkewed`` (plain text) and an unknown key or
  a wrong signature with 401 and an ``ID.1000`` error body.
* A missing header or another scheme is a 400 plain-text error.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime

from pulumi_zstack.simulator.store import Store
from pulumi_zstack.simulator.wire import ApiError, RestError

CONTEXT_PATH = "/zstack"
MAX_CLOCK_SKEW = 15 * 60


@dataclass(frozen=True)
class Credentials:
    """Who is calling: ``kind`` is ``"session"`` (with ``session_uuid``) or ``"accesskey"``."""

    kind: str
    session_uuid: str | None = None


def sign(secret: str, method: str, date: str, uri: str) -> str:
    """The access-key signature the SDKs compute (``uri`` without context path and query)."""
    digest = hmac.new(secret.encode(), f"{method}\n{date}\n{uri}".encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def authenticate(
    store: Store, method: str, path: str, headers: Mapping[str, str], *, now: float | None = None
) -> Credentials:
    """Read the caller's credentials; access keys are verified here, sessions are not.

    ``headers`` must look names up case-insensitively, as aiohttp's do. ``now`` is the server
    clock an access-key ``Date`` is checked against (default: the real time).
    """
    auth = headers.get("Authorization")
    if auth is None:
        raise RestError(400, "missing header 'Authorization'")
    auth = auth.strip()
    if auth.startswith("OAuth"):
        return Credentials("session", auth.removeprefix("OAuth").strip())
    if auth.startswith("ZStack "):
        credential = auth.removeprefix("ZStack ").strip()
        _verify_access_key(store, method, path, headers.get("Date"), credential, now=now)
        return Credentials("accesskey")
    raise RestError(400, "Authorization type must be 'OAuth' or 'ZStack'")


def _verify_access_key(
    store: Store, method: str, path: str, date: str | None, credential: str, *, now: float | None
) -> None:
    key_id, sep, signature = credential.rpartition(":")
    if not sep or not key_id or not signature:
        raise RestError(400, "Authorization must be 'ZStack <accessKeyId>:<signature>'")
    if date is None:
        raise RestError(400, "missing header 'Date'")
    try:
        sent = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        raise RestError(400, f"invalid header 'Date': {date}") from None
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    if abs((time.time() if now is None else now) - sent.timestamp()) > MAX_CLOCK_SKEW:
        raise RestError(403, "requestTimeTooSkewed")
    key = store.access_key(key_id)
    uri = path.removeprefix(CONTEXT_PATH)
    if key is None or not hmac.compare_digest(sign(key["secret"], method, date, uri), signature):
        raise ApiError("ID.1000", "invalid access key or signature", status=401)
