"""What the control plane reports about traffic: the request log and counters.

The log keeps method, path, query string, status, time, kind of credentials and
job uuid of each ZStack API request, never a body, a header value, a password, a
secret or a session id: session ids in paths (logout, session validation) are
replaced by ``<redacted>``. It holds the last :data:`MAX_ENTRIES` requests.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any

MAX_ENTRIES = 100_000
_SESSION_PATH = re.compile(r"^(/zstack/v1/accounts/sessions/)[^/]+")


def redact_path(path: str) -> str:
    """The path with any session id replaced."""
    return _SESSION_PATH.sub(r"\1<redacted>", path)


@dataclass
class Entry:
    method: str
    path: str
    query: str
    timestamp: float
    auth: str = "none"
    status: int | None = None
    job_uuid: str | None = None
    fault: str | None = None
    #: ``systemTags`` / ``userTags`` an async call carried (tags are no secret; the node ignores
    #: those of an attach, so this log is the only place they show).
    tags: dict[str, list[str]] | None = None

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "timestamp": self.timestamp,
            "auth": self.auth,
        }
        if self.job_uuid is not None:
            doc["jobUuid"] = self.job_uuid
        if self.fault is not None:
            doc["fault"] = self.fault
        if self.tags:
            doc.update(self.tags)
        return doc


class Recorder:
    """Request log and counters, cleared by a reset."""

    def __init__(self) -> None:
        self.entries: deque[Entry] = deque(maxlen=MAX_ENTRIES)
        self.requests_by_route: Counter[str] = Counter()
        self.logins = 0
        self.failed_logins = 0
        self.logouts = 0

    def start(self, method: str, path: str, query: str, route: str, timestamp: float) -> Entry:
        """Open the log entry of a request (completed in place when it is answered)."""
        entry = Entry(method=method, path=redact_path(path), query=query, timestamp=timestamp)
        self.entries.append(entry)
        self.requests_by_route[f"{method} {route}"] += 1
        return entry

    def since(self, timestamp: float | None) -> list[dict[str, Any]]:
        return [e.to_json() for e in self.entries if timestamp is None or e.timestamp > timestamp]

    def clear(self) -> None:
        self.entries.clear()
        self.requests_by_route.clear()
        self.logins = 0
        self.failed_logins = 0
        self.logouts = 0
