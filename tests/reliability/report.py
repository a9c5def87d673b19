"""Render docs/reliability.md from the rows the scenarios recorded (placeholder)."""

from __future__ import annotations

import time
from dataclasses import dataclass

_STARTED = time.monotonic()


def elapsed() -> float:
    return time.monotonic() - _STARTED


@dataclass
class ReportRow:
    area: str
    fault: str
    expected: str
    observed: list[str]
    outcome: str


def render(rows: list[ReportRow], *, session_seconds: float) -> str:
    return "\n".join(
        f"{r.area} | {r.fault} | {r.expected} | {'; '.join(r.observed)} | {r.outcome}" for r in rows
    )
