"""Fault injection: rules that make matching ZStack API requests misbehave.

A fault matches a request by HTTP method (or ``"*"``) and a regular expression
searched in the request path (``/zstack/v1/...``). Faults are tried in the order
they were added; the first match is used and its ``count`` decremented (``-1``
never runs out). Actions:

``status``          answer ``status`` with ``body`` (a string as text, anything else as JSON) or no body,
                    without processing the request;
``delay``           sleep ``seconds``, then process normally;
``drop``            process normally (e.g. the job IS created), then close the connection unanswered;
``drop_before``     close the connection without processing;
``job_error``       the job the request creates fails with ``code`` (``details``, ``description`` optional)
                    once its own checks have passed;
``job_delay``       the job the request creates stays running ``seconds``;
``expire_session``  invalidate the caller's session first, so the request meets ``ID.1001``;
``clock_skew``      check the request's access-key ``Date`` against a server clock ``seconds`` ahead
                    (negative: behind), as a management node whose clock is off would.

``probability`` (default 1) makes a fault apply to each matching request only with that chance,
for random transient failures; a request it spares does not use up its ``count``.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass
from typing import Any

ACTIONS = (
    "status",
    "delay",
    "drop",
    "drop_before",
    "job_error",
    "job_delay",
    "expire_session",
    "clock_skew",
)


class FaultSpecError(ValueError):
    """A fault definition posted to the control plane is invalid."""


@dataclass
class Fault:
    id: int
    method: str
    path: re.Pattern[str]
    action: str
    count: int
    status: int | None = None
    body: Any = None
    seconds: float | None = None
    code: str | None = None
    details: str | None = None
    description: str | None = None
    probability: float = 1.0

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": self.id,
            "method": self.method,
            "path": self.path.pattern,
            "action": self.action,
            "count": self.count,
        }
        for name in ("status", "body", "seconds", "code", "details", "description"):
            value = getattr(self, name)
            if value is not None:
                doc[name] = value
        if self.probability != 1.0:
            doc["probability"] = self.probability
        return doc


def _number(spec: dict[str, Any], name: str) -> float:
    value = spec.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise FaultSpecError(f"'{name}' must be a non-negative number")
    return float(value)


def _optional_string(spec: dict[str, Any], name: str) -> str | None:
    value = spec.get(name)
    if value is not None and not isinstance(value, str):
        raise FaultSpecError(f"'{name}' must be a string")
    return value


class FaultRegistry:
    """The active faults, in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._random = random.Random()

    def add(self, spec: object) -> Fault:
        """Validate and register a fault definition (the JSON posted to ``/_sim/faults``)."""
        if not isinstance(spec, dict):
            raise FaultSpecError("a fault must be a JSON object")
        known = {
            "method",
            "path",
            "action",
            "count",
            "status",
            "body",
            "seconds",
            "code",
            "details",
            "description",
            "probability",
        }
        unknown = sorted(set(spec) - known)
        if unknown:
            raise FaultSpecError(f"unknown fault fields: {', '.join(unknown)}")
        action = spec.get("action")
        if action not in ACTIONS:
            raise FaultSpecError(f"'action' must be one of {', '.join(ACTIONS)}")
        method = spec.get("method", "*")
        if not isinstance(method, str) or not method:
            raise FaultSpecError("'method' must be an HTTP method or '*'")
        path = spec.get("path", "")
        if not isinstance(path, str):
            raise FaultSpecError("'path' must be a regular expression")
        try:
            pattern = re.compile(path)
        except re.error as exc:
            raise FaultSpecError(f"'path' is not a valid regular expression: {exc}") from exc
        count = spec.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or (count < 1 and count != -1):
            raise FaultSpecError("'count' must be a positive integer or -1")

        probability = spec.get("probability", 1.0)
        if isinstance(probability, bool) or not isinstance(probability, int | float):
            raise FaultSpecError("'probability' must be a number in (0, 1]")
        if not 0 < probability <= 1:
            raise FaultSpecError("'probability' must be a number in (0, 1]")
        fault = Fault(
            id=next(self._ids),
            method=method.upper(),
            path=pattern,
            action=action,
            count=count,
            probability=float(probability),
        )
        if action == "status":
            status = spec.get("status")
            if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
                raise FaultSpecError("'status' must be an HTTP status code")
            fault.status = status
            fault.body = spec.get("body")
        elif action in ("delay", "job_delay"):
            fault.seconds = _number(spec, "seconds")
        elif action == "clock_skew":
            seconds = spec.get("seconds")
            if isinstance(seconds, bool) or not isinstance(seconds, int | float):
                raise FaultSpecError("'seconds' must be a number")
            fault.seconds = float(seconds)
        elif action == "job_error":
            code = spec.get("code")
            if not isinstance(code, str) or not code:
                raise FaultSpecError("'code' must be a ZStack error code such as BS.1001")
            fault.code = code
            fault.details = _optional_string(spec, "details")
            fault.description = _optional_string(spec, "description")
        self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching the request, consuming one of its uses."""
        for fault in self._faults:
            if fault.method in ("*", method) and fault.path.search(path):
                if fault.probability < 1.0 and self._random.random() >= fault.probability:
                    continue
                if fault.count > 0:
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                return fault
        return None

    def list(self) -> list[Fault]:
        return list(self._faults)

    def clear(self) -> None:
        self._faults.clear()
