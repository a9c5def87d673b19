"""The management node's parser of the access-key ``Date`` header, reproduced in Python.

``RestServer.checkTime`` (zstackio/zstack ``rest/src/main/java/org/zstack/rest/RestServer.java``)
parses the header with ``ZonedDateTime.parse(dateStr, formatter)``, where ``formatter`` is
``new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("EEE, dd MMM yyyy HH:mm:ss z")
.toFormatter(Locale.ENGLISH)`` (strict parsing, SMART resolving). What that accepts, checked
against OpenJDK 17 (the vectors in ``tests/simulator/test_auth.py``):

* ``EEE`` and ``MMM``: English short names (``Mon``, ``Jan``), in any case; the day of the week
  must be the date's.
* ``dd``, ``HH``, ``mm``, ``ss``: exactly two digits; ``yyyy``: exactly four (year 1 or later).
  A day 29-31 past the end of its month becomes the month's last day, and ``24:00:00`` is
  midnight of the next day (SMART resolving); other out-of-range values are errors.
* Exactly the separators of the pattern; nothing before or after.
* ``z``, the zone (``java.time.format.DateTimeFormatterBuilder.ZoneIdPrinterParser``): ``+HH:MM``
  or ``-HH:MM`` with optional ``:ss``; ``GMT``, ``UTC`` or ``UT`` alone or followed by such an
  offset (``GMT+08:00``; ``GMT+8`` and ``GMT+0800`` are refused); ``GMT0``; ``Z``; otherwise a
  name of Java's zone-name table: a region id (``Asia/Shanghai``) or an English zone name
  (``CST``, ``CET``). Names resolve to one region each, and the wall time is then placed in
  that region by its rules, so ``CST`` means ``America/Chicago`` (daylight time in summer), not
  China. The table, ``java_zone_labels.json``, was generated with a JDK by
  ``scripts/java-zone-labels/generate`` using the JRE locale data that JDK 8, the node's Java,
  uses by default; which region an ambiguous name such as ``IST`` picks depends on the JDK's
  locale data, so those resolutions are a best guess for any particular node.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PATTERN = "EEE, dd MMM yyyy HH:mm:ss z"

_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DATE = re.compile(
    r"([A-Za-z]{3}), ([0-9]{2}) ([A-Za-z]{3}) ([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) (.+)"
)
_OFFSET = re.compile(r"([+-])([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")


@dataclass(frozen=True)
class RequestDate:
    """A parsed ``Date`` header: the wall time as written and the zone its label names.

    ``zone`` is None when Java knows the label's region but Python's time zone database does
    not (a few legacy ``SystemV/*`` ids): the label parses, its instant cannot be computed.
    """

    local: datetime
    zone: tzinfo | None

    def instant(self) -> float | None:
        """Epoch seconds of the wall time in ``zone`` (a gap or overlap resolves as in java.time)."""
        if self.zone is None:
            return None
        # fold=0 is the earlier offset in an overlap and, in a gap, the offset before the
        # transition: the same instant as ZonedDateTime.ofLocal with no preferred offset.
        return self.local.replace(tzinfo=self.zone).timestamp()

    def local_date_time(self) -> datetime:
        """``ZonedDateTime.toLocalDateTime()``: the wall time as written, except that a time in a
        daylight-saving gap is moved forward by the gap (``02:30`` becomes ``03:30``)."""
        instant = self.instant()
        if instant is None or self.zone is None:
            return self.local
        return datetime.fromtimestamp(instant, self.zone).replace(tzinfo=None)


def parse(text: str) -> RequestDate:
    """Parse ``text`` as the management node does; ``ValueError`` where Java throws."""
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"not {PATTERN!r}: {text!r}")
    day_name, day, month_name, year, hour, minute, second, label = match.groups()
    if day_name.upper() not in _DAYS or month_name.upper() not in _MONTHS:
        raise ValueError(f"unknown day or month name in {text!r}")
    y, m, d = int(year), _MONTHS.index(month_name.upper()) + 1, int(day)
    hh, mm, ss = int(hour), int(minute), int(second)
    if y < 1 or not 1 <= d <= 31 or hh > 24 or mm > 59 or ss > 59 or (hh == 24 and (mm or ss)):
        raise ValueError(f"field out of range in {text!r}")
    d = min(d, calendar.monthrange(y, m)[1])
    local = datetime(y, m, d)
    if local.weekday() != _DAYS.index(day_name.upper()):
        raise ValueError(f"{day_name} is not the day of the week of {local:%Y-%m-%d}")
    # Java gives 10000-01-01 for "Fri, 31 Dec 9999 24:00:00"; Python cannot, and calls it invalid.
    local += timedelta(hours=hh, minutes=mm, seconds=ss)
    return RequestDate(local, zone_of(label))


def zone_of(label: str) -> tzinfo | None:
    """The zone of a ``z`` label; ``ValueError`` if Java refuses it (see the module docstring)."""
    upper = label.upper()
    if upper[0] in "+-":
        return _offset(label)
    if len(label) >= 2 and upper.startswith(("UT", "GMT")):
        if upper.startswith("GMT0"):
            if len(label) > 4:
                raise ValueError(f"text after GMT0 in {label!r}")
            return UTC
        prefix = 3 if upper.startswith(("UTC", "GMT")) else 2
        rest = label[prefix:]
        return UTC if not rest else _offset(rest)
    zone_id = _table().get(upper)
    if zone_id is not None:
        try:
            return ZoneInfo(zone_id)
        except (ZoneInfoNotFoundError, ValueError):
            return None
    if upper == "Z":
        return UTC
    raise ValueError(f"unknown zone {label!r}")


def _offset(text: str) -> tzinfo:
    match = _OFFSET.fullmatch(text)
    if match is None:
        raise ValueError(f"not an offset +HH:MM[:ss]: {text!r}")
    sign, hours, minutes, seconds = match.groups()
    h, m, s = int(hours), int(minutes), int(seconds or 0)
    if h > 23 or m > 59 or s > 59:
        raise ValueError(f"offset out of range: {text!r}")
    total = timedelta(hours=h, minutes=m, seconds=s)
    return timezone(-total if sign == "-" else total)


@cache
def _table() -> dict[str, str]:
    """Upper-cased label -> zone id, from ``java_zone_labels.json``."""
    doc = json.loads(resources.files(__package__).joinpath("java_zone_labels.json").read_text())
    table = {zone.upper(): zone for zone in doc["regionIds"]}
    table.update(doc["names"])
    return table
