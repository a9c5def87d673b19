"""Wire-level vocabulary shared by the simulator: errors, dates and uuids.

Two kinds of failure exist on the ZStack REST API and both are modelled here:

* :class:`ApiError`: a business error, answered as HTTP 503 (or as a failed
  job) with ``{"error": {"code", "description", "details"}}``;
* :class:`RestError`: a REST-layer problem (bad header, bad query syntax,
  unknown path, wrong method), answered with a plain-text body.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, tzinfo
from typing import Any

from pulumi_zstack.simulator.i18n import localise

# Descriptions as in zstackio/zstack ``conf/errorCodes/{sys,identity,backupStorage,primaryStorage,l2}.xml``.
ERROR_DESCRIPTIONS: dict[str, str] = {
    "SYS.1000": "An internal error happened in system",
    "SYS.1001": "A message or a operation timeout",
    "SYS.1003": "A resource can not be found",
    "SYS.1006": "An operation failed",
    "SYS.1007": "One or more API argument is invalid",
    "ID.1000": "Unable to authenticate a user",
    "ID.1001": "The session is invalid, either wrong session id or the session has been expired",
    "ID.1002": "The user doesn't have permission to perform the operation",
    "ID.1006": "Max number of active sessions exceeded",
    "BS.1001": "Unable to attach backup storage to zone",
    "BS.1002": "Unable to detach backup storage from zone",
    "PS.1001": "Unable to attach a primary storage to cluster",
    "PS.1002": "Unable to detach a primary storage from cluster",
    "L2.1000": "Unable to attach L2Network to a cluster",
}
_FALLBACK_DESCRIPTION = ERROR_DESCRIPTIONS["SYS.1006"]

_UUID_RE = re.compile(r"[0-9a-f]{32}")


class ApiError(Exception):
    """A ZStack business error: ``{"error": {...}}``, with HTTP 503 unless ``status`` says otherwise.

    ``details`` is a Java ``%s`` format filled with ``args`` in the simulator's locale when the
    body is rendered (see :mod:`pulumi_zstack.simulator.i18n`); without ``args`` it is the text.
    """

    def __init__(
        self,
        code: str,
        details: str,
        description: str | None = None,
        *,
        status: int = 503,
        args: tuple[str | ApiError, ...] = (),
        cause: ApiError | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.details = details
        self.format_args = args
        self.cause = cause
        self.description = description or ERROR_DESCRIPTIONS.get(code, _FALLBACK_DESCRIPTION)
        super().__init__(f"{code}: {self._details('en_US')}")

    def _details(self, locale: str) -> str:
        # An error given as an argument is written as the node's ``ErrorCode.toString()`` does:
        # its JSON (``JSONObjectUtil.toJsonString``, Gson: no spaces, nulls left out).
        args = tuple(
            json.dumps(arg.error(locale), separators=(",", ":"), ensure_ascii=False)
            if isinstance(arg, ApiError)
            else arg
            for arg in self.format_args
        )
        return localise(locale, self.details, args)

    def error(self, locale: str = "en_US") -> dict[str, Any]:
        """The ``error`` object, its details (and its cause's) in ``locale``."""
        error: dict[str, Any] = {
            "code": self.code,
            "description": self.description,
            "details": self._details(locale),
        }
        if self.cause is not None:
            error["cause"] = self.cause.error(locale)
        return error

    def body(self, locale: str = "en_US") -> dict[str, Any]:
        """The JSON document the server answers with, its details in ``locale``."""
        return {"error": self.error(locale)}


class RestError(Exception):
    """A REST-layer rejection, answered with ``status`` and a plain-text body."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def invalid_argument(details: str) -> ApiError:
    """``SYS.1007``: one or more API argument is invalid."""
    return ApiError("SYS.1007", details)


def new_uuid() -> str:
    """A ZStack uuid: 32 lowercase hex characters, no dashes."""
    return uuid.uuid4().hex


def is_uuid(value: object) -> bool:
    """Whether ``value`` is a ZStack uuid (32 lowercase hex characters)."""
    return isinstance(value, str) and _UUID_RE.fullmatch(value) is not None


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# The node's local time zone (the JVM's default, process-wide on the node too): Gson writes
# inventory dates in it (``CloudBusGson.toJsonForHttpResponse``: no date format is set, so
# Java's default ``DateFormat`` is used) and ``Timestamp.valueOf`` reads query conditions in it. One simulator
# runs per process; ``Simulator`` sets it from ``--time-zone``.
class _NodeTimeZone:
    zone: tzinfo = UTC


_NODE = _NodeTimeZone()


def set_node_time_zone(zone: tzinfo) -> None:
    """Make ``zone`` the node's local time zone for :func:`gson_date` and :func:`parse_date`."""
    _NODE.zone = zone


def gson_date(epoch: float) -> str:
    """Format an epoch timestamp the way Gson does on Java 8: ``Jun 7, 2017 9:20:19 PM``.

    Like the management node, in the node's local time zone (no zone in the text).
    """
    t = datetime.fromtimestamp(epoch, _NODE.zone)
    hour = t.hour % 12 or 12
    half = "AM" if t.hour < 12 else "PM"
    return f"{_MONTHS[t.month - 1]} {t.day}, {t.year} {hour}:{t.minute:02d}:{t.second:02d} {half}"


def parse_date(text: str) -> float:
    """Parse a date given in a query condition: Gson style or ``YYYY-MM-DD HH:MM:SS``.

    The value is wall time in the node's time zone, as ``Timestamp.valueOf`` reads it
    (``search/src/main/java/org/zstack/query/MysqlQueryBuilderImpl3.java``, ``doNormalizeValue``).
    Raises ``ValueError`` when neither format matches.
    """
    for fmt in ("%b %d, %Y %I:%M:%S %p", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=_NODE.zone).timestamp()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")
