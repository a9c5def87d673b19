"""The retry policy of one HTTP request (which failures are sent again, and when)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .errors import ConfigurationError


@dataclass(frozen=True)
class RetryPolicy:
    """When and how a failed HTTP request is sent again.

    **Retried**: connection failures (refused, reset, dropped before an answer), connect and
    read timeouts, and HTTP 502/503/504 answers that carry no ZStack error body (a proxy or a
    management node that is starting). TLS failures are never retried.

    **Never retried**: business errors (HTTP 503 with ``{"error": ...}``), every 4xx, and
    well-formed answers. The one exception is an invalid session (``ID.1001`` /
    ``ORG_ZSTACK_IDENTITY_10020``): the client logs in again once and repeats the call.

    **Why every call is safe to repeat**: queries and job polls are GETs; login only creates
    a session; logout of an unknown session succeeds. Every async submit carries an
    ``X-Job-UUID`` chosen by the client and a repeat uses the same uuid, so the server either
    never saw the first attempt or answers 400 "duplicate job" -- then the client polls that
    job instead. A call is therefore never executed twice on the server.

    **Backoff**: truncated exponential with jitter: before retry *n* (1-based) the client
    sleeps ``uniform(0.5, 1) * min(max_delay, base_delay * multiplier ** (n - 1))``.
    At most ``max_attempts`` attempts in all, and no retry starts once ``max_elapsed``
    seconds have passed since the first attempt. With the defaults (5 attempts, 0.2 s base,
    x2, 5 s cap) a dead endpoint is reported after about 3 s plus the timeouts.
    """

    max_attempts: int = 5
    base_delay: float = 0.2
    multiplier: float = 2.0
    max_delay: float = 5.0
    max_elapsed: float = 60.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigurationError("RetryPolicy.max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.multiplier < 1 or self.max_elapsed < 0:
            raise ConfigurationError("RetryPolicy delays must be >= 0 and multiplier >= 1")

    def delay(self, retry: int, rng: random.Random | None = None) -> float:
        """Seconds to sleep before retry number ``retry`` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * self.multiplier ** (retry - 1))
        return ceiling * (rng or random).uniform(0.5, 1.0)

    def allows(self, attempt: int, elapsed: float) -> bool:
        """Whether another attempt may follow attempt number ``attempt`` after ``elapsed`` seconds."""
        return attempt < self.max_attempts and elapsed < self.max_elapsed
