"""Async jobs: submit with a client-chosen job uuid, then poll until the result is in.

Every non-GET ZStack call (except login/logout) answers ``202 {"location", "apiTimeout"}``;
the result is read from ``GET /v1/api-jobs/{uuid}``. :class:`JobRunner` does the whole
round trip, and :class:`PollPolicy` decides when to poll.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import logging
import math
import random
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from ._endpoint import path_segment
from ._transport import Reply, Transport
from .errors import (
    AuthenticationError,
    ConfigurationError,
    JobExpiredError,
    JobTimeoutError,
    TransportError,
)

__all__ = ["DurationHistory", "Estimate", "JobOutcome", "JobRunner", "PollPolicy", "PollSchedule"]

logger = logging.getLogger("pulumi_zstack.client")


@dataclass(frozen=True)
class PollPolicy:
    """When the client polls an async job.

    The goal is to notice a finished job quickly -- within ``max(50 ms, 10 %)`` of its
    duration -- while sending only two or three polls per job. A fixed interval cannot do
    both, so the client learns how long each operation (``AttachBackupStorageToZone``,
    ``CreateZone`` ...) takes on each endpoint, and aims its polls at the expected finish.

    **No history yet** (first job of an operation): poll after ``initial_interval``, then
    at intervals growing by ``multiplier`` up to ``max_interval`` (30 ms, 45 ms, 68 ms ...
    2.5 s). Each job's grid is shrunk by a factor ``multiplier ** -u`` with a *phase* ``u``
    in [0, 1), so that jobs submitted together (the provider host runs four at once) poll at
    different times; as soon as one of them is done and teaches a first estimate, the others
    aim by it, so what a first wave waits for is the earliest poll of any of its jobs. (They
    aim by the newest estimate learned before their first aimed poll: the first is rough, and
    when the host receives a wave spread out -- the engine busy saving its state -- the next
    often comes in time. At N = 1000 with the engine's checkpoints, the first four deletes
    arrived over 190 ms and took 4, 5, 5 and 5 polls.) In such a spread wave, a job submitted
    while an earlier job of its operation is still in flight, seen running at an age this job
    has not reached yet, starts its grid at that age: it is most likely not done before then
    either (a 0.4 s job submitted 0.25 s after another polled 7-8 times, now 3-5). The price,
    when an operation's jobs differ widely in duration, is that a short job of a first wave
    submitted while a long one runs may be noticed as late as the time between the two
    submits; once one job has finished, the estimate decides. The
    phases of successive jobs in a process follow a golden-ratio sequence from a random start
    (``u_k = frac(u_0 + k * 0.618...)``): any few consecutive jobs spread evenly over one grid
    step (four leave no gap wider than 0.38 of it, where independent random phases leave one
    wider than half of it every other time), and no duration is favoured by a fixed grid.
    (``jitter=0``: every job polls on the unshrunk grid.) Why 30 ms and not 25: in a model of
    a wave of four jobs on this grid (one poll round trip 1.5 ms, durations 0.05-30 s spaced
    by x1.25), starting at 30 ms polls 0.4 times fewer per job on average (8.9 against 9.3)
    and notices the wave no later (the worst delay over the phases: 18 % of the duration on
    average for both, at most 49 % against 54 %); a job shorter than 30 ms waits for it.

    **With history**: the client keeps, per endpoint and operation, a smoothed duration
    *E* and a smoothed deviation *D* (exponentially weighted, factor ``smoothing``, as TCP
    estimates round trips). Around a time *t* the *tight* interval is
    ``I(t) = clamp(tight_fraction * t, min_interval, max_interval)``: short enough that a
    job finishing between two polls is seen within ``max(50 ms, 10 %)`` of its duration.
    With ``lead = max(I(E) / 2, spread * D)``:

    1. the first poll is at ``E - aim`` (just before the expected finish);
    2. while ``t < E + lead`` the next poll follows after a *step*;
    3. past that the job runs long: intervals grow by ``multiplier`` up to ``max_interval``,
       each shortened by up to ``jitter`` (a random fraction), so that long jobs started
       together drift apart.

    While the operation is *steady* (its last job was no surprise, or finished at its first
    poll once) the polls close in on the finish: ``aim = min(lead, max(fine_fraction * I(E),
    spread * D))`` and ``step = min(I(t), max(aim, fine_fraction * I(t)))``. Otherwise
    ``aim = lead`` and ``step = I(t)``. For jobs of steady duration this is two polls, a
    fine step apart (3 ms for a 0.2 s job), so the finish is noticed within a few ms; with
    the coarse ``I(t)`` it would be noticed about ``I(t)`` late (30 ms), and every operation
    waiting in a queue behind it would start that much later too.

    **Learning**: a finished job tells that it ended between the last poll that saw it
    running (or the submit) and the poll that saw it done: a *sample* (the middle) and its
    uncertainty (half the interval). The first job of an operation sets *E* to its sample
    and *D* so that the lead spans its interval. Each later job moves *E* toward its
    sample by a gain weighing how uncertain *E* is against how precise the sample is
    (never less than ``smoothing``), so one tightly-polled job corrects a rough first
    guess; *D* moves by ``smoothing`` toward the error ``|sample - E|`` beyond both
    uncertainties (capped at ``2 * lead``). If the first poll already found the job done,
    the job most likely ended in the stretch that poll was aimed ahead of *E* (``aim``):
    the sample is ``first poll - aim / 2``, with that half-stretch as its uncertainty, and
    its whole error counts. (Taking ``first poll - lead`` instead, a steady operation whose
    first poll now and then sees the job just done swung *E* and *D* by the coarse lead,
    15 ms for a 0.2 s job, and its next jobs were polled coarsely: in a client run of 200
    jobs four at a time the notice p95 was 12-19 ms, 6-8 ms with this rule, and polls per
    job 2.0 against 1.6.) Two surprises in a row mean the duration changed:

    - done at the first poll again: *E* drops below that poll by ``4 * aim``, doubling
      with each further such job (from the third early job in a row on, ``aim`` is the
      whole lead: the operation is no longer steady), but never below half the poll time
      (an exponential search down), and is marked that uncertain, so the next job seen
      running sets it;
    - finished after ``E + lead`` again: that job sets *E* outright.

    A job that was polled by an older estimate than the current one (other jobs of the
    operation finished meanwhile) is learned from, but its surprise is not counted as one
    more in a row: concurrent jobs share one surprise, they do not confirm it.

    Only successful jobs are learned from. The history is shared by every client in the
    process (keyed by endpoint and operation) and is thread-safe. With ``learn=False`` a
    client neither reads nor feeds it: every job gets the no-history schedule (with
    ``multiplier=1`` and ``jitter=0``, the official SDKs' fixed interval).

    Polling always stops at the job deadline, ``min(job_timeout, apiTimeout)``.
    """

    initial_interval: float = 0.03
    multiplier: float = 1.5
    max_interval: float = 2.5
    min_interval: float = 0.03
    tight_fraction: float = 0.08
    spread: float = 2.5
    smoothing: float = 0.25
    jitter: float = 0.2
    fine_fraction: float = 0.1
    learn: bool = True

    def __post_init__(self) -> None:
        if not (
            0 < self.initial_interval <= self.max_interval and 0 < self.min_interval <= self.max_interval
        ):
            raise ConfigurationError("PollPolicy intervals must be > 0 and <= max_interval")
        if self.multiplier < 1 or not 0 < self.smoothing <= 1 or not 0 <= self.jitter < 1:
            raise ConfigurationError("PollPolicy: multiplier >= 1, 0 < smoothing <= 1, 0 <= jitter < 1")
        if not 0 < self.fine_fraction <= 1:
            raise ConfigurationError("PollPolicy: 0 < fine_fraction <= 1")

    def tight_interval(self, elapsed: float) -> float:
        """``I(t)``: the poll interval around an expected finish at ``elapsed`` seconds."""
        return min(self.max_interval, max(self.min_interval, self.tight_fraction * elapsed))

    def lead(self, estimate: Estimate) -> float:
        """How far before (and after) the expected finish polls are tight."""
        return max(self.tight_interval(estimate.mean) / 2, self.spread * estimate.deviation)

    @staticmethod
    def steady(estimate: Estimate) -> bool:
        """Whether polls may close in on the finish: the last job was no surprise, or one early."""
        return -1 <= estimate.surprises <= 0

    def aim(self, estimate: Estimate) -> float:
        """How far before the expected finish the first poll is."""
        lead = self.lead(estimate)
        if not self.steady(estimate):
            return lead
        fine = self.fine_fraction * self.tight_interval(estimate.mean)
        return min(lead, max(fine, self.spread * estimate.deviation))

    def step(self, estimate: Estimate, elapsed: float) -> float:
        """The interval between polls around the expected finish, ``elapsed`` s after submit."""
        tight = self.tight_interval(elapsed)
        if not self.steady(estimate):
            return tight
        return min(tight, max(self.aim(estimate), self.fine_fraction * tight))


class Estimate(NamedTuple):
    """A learned job duration (seconds): ``mean`` *E* and ``deviation`` *D*; ``surprises``: how
    many jobs in a row finished before the first poll (negative) or after ``E + lead``;
    ``uncertainty``: how far off *E* itself may be."""

    mean: float
    deviation: float
    surprises: int = 0
    uncertainty: float = 0.0


class _Current:
    """The type of :data:`CURRENT`."""


CURRENT = _Current()
"""``observe(basis=CURRENT)``: the job was polled by the current estimate."""


class DurationHistory:
    """Thread-safe learned durations, keyed by ``(endpoint, operation)`` (see :class:`PollPolicy`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._learned = threading.Condition(self._lock)
        self._estimates: dict[tuple[str, str], Estimate] = {}
        self._running: dict[tuple[str, str], dict[str, float]] = {}

    def get(self, key: tuple[str, str]) -> Estimate | None:
        """The current estimate for ``key``, ``None`` before the first finished job."""
        with self._lock:
            return self._estimates.get(key)

    def wait_for_change(self, key: tuple[str, str], than: Estimate | None, timeout: float) -> Estimate | None:
        """The estimate for ``key``, waiting up to ``timeout`` s for one other than ``than``
        (``None``: for a first one) to be learned."""
        with self._learned:
            self._learned.wait_for(lambda: self._estimates.get(key) is not than, timeout)
            return self._estimates.get(key)

    def seen_running(self, key: tuple[str, str], job_uuid: str, elapsed: float) -> None:
        """Record that job ``job_uuid`` of ``key`` was still running ``elapsed`` s after its submit."""
        with self._lock:
            self._running.setdefault(key, {})[job_uuid] = elapsed

    def ended(self, key: tuple[str, str], job_uuid: str) -> None:
        """Forget job ``job_uuid`` of ``key`` in :meth:`running_floor`: it has ended, however."""
        with self._lock:
            self._running.get(key, {}).pop(job_uuid, None)

    def running_floor(self, key: tuple[str, str]) -> float:
        """The longest a job of ``key`` still in flight has been seen running (0: none)."""
        with self._lock:
            return max(self._running.get(key, {}).values(), default=0.0)

    def observe(
        self,
        key: tuple[str, str],
        low: float,
        high: float,
        policy: PollPolicy,
        basis: Estimate | _Current | None = CURRENT,
    ) -> Estimate:
        """Learn from a job seen running at ``low`` (0: never) and done at ``high`` s after submit.

        ``basis``: the estimate the job was polled by. If another job was learned from since
        (jobs run concurrently), a surprise of this one does not count as one more in a row.
        """
        with self._learned:
            old = self._estimates.get(key)
            stale = basis is not CURRENT and basis is not old
            new = _learn(old, low, high, policy, stale=stale)
            self._estimates[key] = new
            self._learned.notify_all()
            return new


def _learn(
    old: Estimate | None, low: float, high: float, policy: PollPolicy, *, stale: bool = False
) -> Estimate:
    """The estimate after a job bracketed by ``(low, high]`` (rules in :class:`PollPolicy`).

    ``stale``: the job was polled by an older estimate; its surprise is not one more in a row.
    """
    if old is None:
        return Estimate((low + high) / 2, (high - low) / (2 * policy.spread), 0, (high - low) / 2)
    lead, before = policy.lead(old), policy.aim(old)  # the first poll was ``before`` ahead of E
    early = low == 0
    if early and old.surprises < 0 and not stale:
        mean = max(high / 2, high - before * 2 ** (1 - old.surprises))
        return Estimate(mean, old.deviation, old.surprises - 1, high - mean)
    if early:
        sample, spread = high - before / 2, before / 2
    else:
        sample, spread = (low + high) / 2, (high - low) / 2
    late = sample > old.mean + lead
    if late and old.surprises > 0 and not stale:
        return Estimate(sample, max(old.deviation, spread / policy.spread), 0, spread)
    prior, measured = old.uncertainty**2, spread**2
    gain = max(policy.smoothing, prior / (prior + measured) if prior + measured else 1.0)
    excuse = 0.0 if early else (spread + old.uncertainty) / 2
    error = min(max(0.0, abs(sample - old.mean) - excuse), 2 * lead)
    surprises = -1 if early else 1 if late else 0
    if stale and surprises * old.surprises > 0:
        surprises = old.surprises  # the same surprise as the job already learned from
    return Estimate(
        old.mean + gain * (sample - old.mean),
        old.deviation + policy.smoothing * (error - old.deviation),
        surprises,
        math.sqrt(prior * measured / (prior + measured)) if prior and measured else 0.0,
    )


SHARED_HISTORY = DurationHistory()
"""The process-wide history every :class:`JobRunner` learns from and polls by."""

_GOLDEN = (math.sqrt(5) - 1) / 2
_PHASE_START = random.random()
_PHASE_INDEX = itertools.count()  # next() on a count is atomic in CPython


def _next_phase() -> float:
    """The no-history grid phase of the next job of this process (see :class:`PollPolicy`)."""
    return (_PHASE_START + next(_PHASE_INDEX) * _GOLDEN) % 1.0


class PollSchedule:
    """The delays between the polls of one job (see :class:`PollPolicy`)."""

    def __init__(
        self,
        policy: PollPolicy,
        estimate: Estimate | None,
        rng: random.Random | None = None,
        phase: float | None = None,
    ) -> None:
        """``rng``: the source of jitter; ``phase``: this job's no-history grid phase in [0, 1)
        (default: the next of the process's sequence)."""
        self._policy = policy
        self._rng = rng or random.Random()
        self._phase = phase
        self._polls = 0
        self._interval = 0.0
        self._first = 0.0
        self._tight_until = -math.inf
        self._estimate = estimate
        if estimate is not None:
            self._first = max(0.0, estimate.mean - policy.aim(estimate))
            self._tight_until = estimate.mean + policy.lead(estimate)

    def next_delay(self, elapsed: float) -> float:
        """Seconds to wait before the next poll, ``elapsed`` seconds after the job was accepted."""
        policy = self._policy
        self._polls += 1
        if self._polls == 1 and self._tight_until > -math.inf:
            return max(0.0, self._first - elapsed)
        if elapsed < self._tight_until and self._estimate is not None:
            return policy.step(self._estimate, elapsed)
        if self._interval == 0.0 and self._polls == 1:
            # No history: this job's phase on the geometric grid; jobs started together poll at
            # evenly spread times, and the first to see its job done teaches the others.
            phase = _next_phase() if self._phase is None else self._phase
            self._interval = policy.initial_interval * (policy.multiplier**-phase if policy.jitter else 1.0)
            return self._interval
        if self._interval == 0.0:
            self._interval = policy.tight_interval(elapsed)
        else:
            self._interval = min(policy.max_interval, self._interval * policy.multiplier)
        if self._estimate is None:
            return self._interval  # the phases keep no-history jobs apart
        return self._interval * (1 - policy.jitter * self._rng.random())


class WriteCounter:
    """Counts the starts and ends of a client's writes, so readers can tell a snapshot is stale."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value = 0

    def bump(self) -> None:
        with self._lock:
            self._value += 1

    def value(self) -> int:
        return self._value


@dataclass(frozen=True)
class JobOutcome:
    """What ``GET /v1/api-jobs/{uuid}`` says about an earlier job.

    ``result`` is the result object of a job that ``succeeded`` and the ``{"error": ...}``
    object of one that ``failed``; ``None`` while it is ``running``.
    """

    job_uuid: str
    status: Literal["running", "succeeded", "failed"]
    result: dict[str, Any] | None


class JobRunner:
    """Runs async calls: submit, poll, decode, with re-login and duplicate-safe resubmits."""

    def __init__(self, transport: Transport, policy: PollPolicy, job_timeout: float) -> None:
        self._transport = transport
        self._policy = policy
        self._job_timeout = job_timeout
        self._history = SHARED_HISTORY
        self.writes = WriteCounter()

    def run(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        json: Any = None,
        params: Sequence[tuple[str, str]] | None = None,
        job_uuids: Iterable[str] | None = None,
    ) -> dict[str, Any]:
        """Submit ``method path`` as ``operation`` and return the job's result object.

        If the job fails because the session expired, log in again and submit once more
        with a new job uuid (the failed job changed nothing).

        ``job_uuids``: the job uuids to submit with, in order, instead of random ones (a caller
        that derives them from what it does can later ask the server what became of the job,
        see :meth:`outcomes`). The server refuses a uuid it still keeps a job of (400
        ``Duplicate job uuid``): if that job is still running it is this call's own earlier
        submit, whose result is awaited instead of submitting again; if it is finished, the
        next uuid is tried.
        """
        transport = self._transport
        chain: Iterator[str] | None = iter(job_uuids) if job_uuids is not None else None
        for relogged in (False, True):
            token = transport.auth.token(transport)
            try:
                while True:
                    job_uuid = (next(chain, None) if chain is not None else None) or uuid.uuid4().hex
                    reply = transport.send(
                        method,
                        path,
                        operation=operation,
                        json=json,
                        params=params,
                        headers={"X-Job-UUID": job_uuid},
                        token=token,
                    )
                    accepted_at = time.monotonic()
                    if reply.status == 200:
                        return transport.decode(reply, operation)
                    if reply.status == 202:
                        accepted = transport.decode(reply, operation)
                        job_uuid = _job_uuid_from(accepted.get("location"), job_uuid)
                        timeout = _timeout(self._job_timeout, accepted.get("apiTimeout"))
                        break
                    if not _is_duplicate_job(reply, job_uuid):
                        raise transport.error(reply, operation)
                    timeout = self._job_timeout
                    if reply.attempts > 1:
                        logger.debug(
                            "%s: job %s was taken by an earlier attempt; polling it", operation, job_uuid
                        )
                        break
                    earlier = self._outcome(operation, job_uuid) if chain is not None else None
                    if earlier is not None and earlier.status == "running":
                        logger.debug(
                            "%s: job %s of an earlier submit still runs; awaiting it", operation, job_uuid
                        )
                        break
                    if chain is None:
                        raise transport.error(reply, operation)
                    logger.debug("%s: job uuid %s is spent; trying the next one", operation, job_uuid)
                return self.wait(operation, job_uuid, timeout=timeout, accepted_at=accepted_at)
            except AuthenticationError as exc:
                if relogged or not transport.session_invalid(exc) or not transport.auth.invalidate(token):
                    raise
                logger.debug("%s: session invalid, logging in again and resubmitting", operation)
        raise AssertionError("unreachable")  # pragma: no cover

    def outcomes(self, job_uuids: Iterable[str], *, operation: str = "QueryJob") -> list[JobOutcome]:
        """What the server knows of the jobs ``job_uuids``, in order, up to the first it does not
        know (never submitted, or its result expired). One GET per job, no authentication."""
        found = []
        for job_uuid in job_uuids:
            outcome = self._outcome(operation, job_uuid)
            if outcome is None:
                break
            found.append(outcome)
        return found

    def _outcome(self, operation: str, job_uuid: str) -> JobOutcome | None:
        transport = self._transport
        reply = transport.send(
            "GET", f"/v1/api-jobs/{path_segment(job_uuid)}", operation=operation, auth=False
        )
        if reply.status == 404:
            return None
        if reply.status == 202:
            return JobOutcome(job_uuid, "running", None)
        if reply.status == 200 and isinstance(reply.payload, dict):
            return JobOutcome(job_uuid, "succeeded", reply.payload)
        if reply.error is not None:
            return JobOutcome(job_uuid, "failed", reply.payload)
        raise transport.error(reply, operation, job_uuid=job_uuid)

    def wait(self, operation: str, job_uuid: str, *, timeout: float, accepted_at: float) -> dict[str, Any]:
        """Poll job ``job_uuid`` until it is done, following the :class:`PollPolicy`."""
        key = (self._transport.endpoint.base_url, operation)
        basis = self._history.get(key) if self._policy.learn else None
        try:
            return self._poll(
                operation, job_uuid, key=key, basis=basis, timeout=timeout, accepted_at=accepted_at
            )
        finally:
            if self._policy.learn and basis is None:
                self._history.ended(key, job_uuid)

    def _poll(
        self,
        operation: str,
        job_uuid: str,
        *,
        key: tuple[str, str],
        basis: Estimate | None,
        timeout: float,
        accepted_at: float,
    ) -> dict[str, Any]:
        transport = self._transport
        learn = self._policy.learn
        # A job of the first wave (no history at its submit) aims by the newest estimate it can
        # get before its first aimed poll: jobs submitted together tend to finish together, and
        # the first estimate is rough (one job bracketed by a coarse grid) while the next is
        # often precise. Later jobs keep the estimate they started with (see `observe`).
        replan = learn and basis is None
        schedule = PollSchedule(self._policy, basis)
        path = f"/v1/api-jobs/{path_segment(job_uuid)}"
        deadline = accepted_at + timeout
        last_running = 0.0
        polls = 0
        while True:
            now = time.monotonic()
            elapsed = now - accepted_at
            delay = schedule.next_delay(elapsed)
            if learn and basis is None:
                # No estimate yet, but a job of the operation submitted earlier may have been
                # seen running for longer than this one has run: this one is most likely not
                # done before that either, so its grid goes on from there.
                delay += max(0.0, self._history.running_floor(key) - elapsed)
            delay = max(0.0, min(delay, deadline - now))
            if replan:
                newer = self._history.wait_for_change(key, basis, delay)
                if newer is not basis:
                    basis = newer
                    schedule = PollSchedule(self._policy, basis)
                    continue
                replan = basis is None  # this poll is the first aimed one: keep its estimate
            else:
                time.sleep(delay)
            polls += 1
            try:
                reply = transport.send("GET", path, operation=operation, auth=False)
            except TransportError as exc:
                raise TransportError(
                    f"{exc.reason} (while polling job {job_uuid}; the job may still finish on the server)",
                    kind=exc.kind,
                    advice=exc.advice,
                    endpoint=exc.endpoint,
                    operation=operation,
                    status=exc.status,
                    job_uuid=job_uuid,
                ) from None
            now = time.monotonic()
            if reply.status == 202:
                load_models_in_background()
                last_running = now - accepted_at
                if learn and basis is None:
                    self._history.seen_running(key, job_uuid, last_running)
                if now >= deadline:
                    raise JobTimeoutError(operation=operation, job_uuid=job_uuid, timeout=timeout)
                continue
            if reply.status == 200:
                logger.debug("%s job done after %.3fs and %d poll(s)", operation, now - accepted_at, polls)
                if learn:
                    estimate = self._history.observe(
                        key, last_running, now - accepted_at, self._policy, basis=basis
                    )
                    logger.debug(
                        "%s: expected next %.3fs +- %.3fs", operation, estimate.mean, estimate.deviation
                    )
                return transport.decode(reply, operation, job_uuid=job_uuid)
            if reply.status == 404 and "expired" in reply.text:
                raise JobExpiredError(operation=operation, job_uuid=job_uuid)
            raise transport.error(reply, operation, job_uuid=job_uuid)


@functools.cache
def load_models_in_background() -> None:
    """Import the inventory models (pydantic: about 60 ms of CPU) in a thread, once per process.

    Started where the process has nothing to do but wait for the server: when a job's first poll
    finds it running, and when a query is sent (its answer needs the models). Not earlier: the
    import holds the GIL (up to 11 ms at a stretch while pydantic-core builds a schema), so
    started with the first call of a provider process it delayed the other calls of the first
    wave, which the host receives within a few ms of it: at N = 10 (four at once) the fourth
    create was submitted 30 ms after the first, 6 ms when the import starts at the first poll
    (which the first wave's jobs reach 20-30 ms after their submit). Not a daemon: if the process
    exits while the import runs, the exit waits for it (a fraction of a second) instead of
    finalizing the interpreter under a thread that holds import locks.
    """
    threading.Thread(
        target=importlib.import_module,
        args=(f"{__package__}.models",),
        name="pulumi-zstack-load-models",
    ).start()


def _job_uuid_from(location: object, fallback: str) -> str:
    """The job uuid at the end of a ``location`` URL (whose host is ignored: we poll our endpoint)."""
    if isinstance(location, str):
        tail = location.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        if tail:
            return tail
    return fallback


def _timeout(job_timeout: float, api_timeout_ms: object) -> float:
    """``min(job_timeout, apiTimeout)``, ``apiTimeout`` being in milliseconds (ignored if absent)."""
    if isinstance(api_timeout_ms, (int, float)) and api_timeout_ms > 0:
        return min(job_timeout, api_timeout_ms / 1000)
    return job_timeout


def _is_duplicate_job(reply: Reply, job_uuid: str) -> bool:
    """Whether a 400 to a repeated submit says its job uuid is taken (by our earlier attempt)."""
    text = reply.text.lower()
    return reply.status == 400 and ("duplicate" in text or job_uuid in text)
