"""Credentials of API calls: the ``Authorization`` header, sessions and access keys.

The checks and their plain-text answers follow ``RestServer.handleApi`` and ``checkTime``
(zstackio/zstack ``rest/src/main/java/org/zstack/rest/RestServer.java``) and the access-key
backend ``org.zstack.accessKey.AccessKeyManager.doAuth`` (not in zstackio/zstack; read from a
public copy of the premium source), in this order:

1. no ``Authorization`` → 400 ``missing header 'Authorization'``;
2. ``OAuth <session uuid>``: a session; whether it is valid is a business check made later
   (immediately for queries, in the job for async calls);
3. ``ZStack <accessKeyId>:<signature>``:

   a. ``Date`` missing → 400 ``'Date' must be incuded in request header``; not parsable by
      :mod:`.java_date` → 400 ``'Date' format error, correct format is 'EEE, dd MMM yyyy HH:mm:ss z'``;
   b. more than 15 minutes (``RestConstants.REQUEST_DURATION_MINUTES``) either way from the
      node's clock → 403 ``requestTimeTooSkewed``. With ``rest.checkTimeZone = false`` (the
      default, ``conf/globalConfig/rest.xml``) the Date's wall time is compared with the node's
      wall time in its own zone and the zone label is ignored; with ``true`` instants are compared;
   c. not two ``:``-separated parts (Java ``String.split``) → 400
      ``accessKey format is 'ZStack AccessKeyId:Signature'``; no ``:`` or nothing after it →
      400 ``Invalid authKey format`` (doAuth; unreachable after the split check, kept in order);
   d. unknown key → 403 ``access key id: <id> does not existed or disabled`` (the seed has no
      disabled keys);
   e. ``signature != base64(HMAC-SHA1(secret, METHOD + "\\n" + Date + "\\n" + uri))``, ``uri``
      the path without the context path and the query → 403 ``wrong accessKey signature``;

4. anything else → 400 ``Authorization type must be 'OAuth'``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from pulumi_zstack.simulator import java_date
from pulumi_zstack.simulator.store import Store
from pulumi_zstack.simulator.wire import RestError

CONTEXT_PATH = "/zstack"
MAX_CLOCK_SKEW = timedelta(minutes=15)

DATE_MISSING = "'Date' must be incuded in request header"
DATE_FORMAT_ERROR = "'Date' format error, correct format is 'EEE, dd MMM yyyy HH:mm:ss z'"
TIME_TOO_SKEWED = "requestTimeTooSkewed"
ACCESS_KEY_FORMAT = "accessKey format is 'ZStack AccessKeyId:Signature'"
INVALID_AUTH_KEY = "Invalid authKey format"
UNKNOWN_ACCESS_KEY = "access key id: {} does not existed or disabled"
WRONG_SIGNATURE = "wrong accessKey signature"


@dataclass(frozen=True)
class Credentials:
    """Who is calling: ``kind`` is ``"session"`` (with ``session_uuid``) or ``"accesskey"``."""

    kind: str
    session_uuid: str | None = None


@dataclass(frozen=True)
class NodeClock:
    """The node's clock as the Date check sees it: ``now`` (epoch), its zone and ``rest.checkTimeZone``."""

    now: float
    zone: tzinfo
    check_time_zone: bool = False


def sign(secret: str, method: str, date: str, uri: str) -> str:
    """The access-key signature the node expects (``uri`` without context path and query)."""
    digest = hmac.new(secret.encode(), f"{method}\n{date}\n{uri}".encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def authenticate(
    store: Store, method: str, path: str, headers: Mapping[str, str], *, clock: NodeClock
) -> Credentials:
    """Read the caller's credentials; access keys are verified here, sessions are not.

    ``headers`` must look names up case-insensitively (and give the first of repeated
    headers), as aiohttp's do and as Spring's ``HttpHeaders.getFirst`` does.
    """
    auth = headers.get("Authorization")
    if auth is None:
        raise RestError(400, "missing header 'Authorization'")
    auth = auth.strip()
    if auth.startswith("OAuth"):
        return Credentials("session", auth.removeprefix("OAuth").strip())
    if auth.startswith("ZStack"):
        date = check_time(headers.get("Date"), clock)
        credential = auth.removeprefix("ZStack").strip()
        if len(_java_split(credential, ":")) != 2:
            raise RestError(400, ACCESS_KEY_FORMAT)
        _verify_access_key(store, method, path, date, credential)
        return Credentials("accesskey")
    raise RestError(400, "Authorization type must be 'OAuth'")


def check_time(date: str | None, clock: NodeClock) -> str:
    """``RestServer.checkTime``: the Date must parse and be within 15 minutes of the node's clock."""
    if date is None:
        raise RestError(400, DATE_MISSING)
    try:
        sent = java_date.parse(date)
    except ValueError:
        raise RestError(400, DATE_FORMAT_ERROR) from None
    if clock.check_time_zone:
        instant = sent.instant()
        if instant is None:
            # Java knows this region, Python's tz database does not: its offset is unknown here.
            raise RestError(400, DATE_FORMAT_ERROR)
        skew = timedelta(seconds=instant - clock.now)
    else:
        node_wall_time = datetime.fromtimestamp(clock.now, clock.zone).replace(tzinfo=None)
        skew = sent.local_date_time() - node_wall_time
    if abs(skew) > MAX_CLOCK_SKEW:
        raise RestError(403, TIME_TOO_SKEWED)
    return date


def _java_split(text: str, sep: str) -> list[str]:
    """``String.split`` with a literal separator: trailing empty strings are dropped."""
    parts = text.split(sep)
    while parts and not parts[-1]:
        parts.pop()
    return parts


def _verify_access_key(store: Store, method: str, path: str, date: str, credential: str) -> None:
    colon = credential.find(":")
    if colon == -1 or colon == len(credential) - 1:
        raise RestError(400, INVALID_AUTH_KEY)
    key_id, signature = credential[:colon], credential[colon + 1 :]
    key = store.access_key(key_id)
    if key is None:
        raise RestError(403, UNKNOWN_ACCESS_KEY.format(key_id))
    uri = path.removeprefix(CONTEXT_PATH)
    expected = sign(key["secret"], method, date, uri)
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "surrogateescape")):
        raise RestError(403, WRONG_SIGNATURE)
