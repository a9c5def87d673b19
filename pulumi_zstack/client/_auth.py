"""How requests prove who they are: an account session or access-key signatures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from ._endpoint import path_segment

if TYPE_CHECKING:
    from ._transport import Transport


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
