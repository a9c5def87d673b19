"""Async API jobs: accept, run after the job delay, answer polls, expire.

A job is persisted when accepted and run by an event-loop timer at its due time.
Running a job is one synchronous SQLite transaction (checks, change and result),
so concurrent jobs never interleave. At start-up, jobs left running by a previous
process (same ``--db``) are rescheduled, overdue ones at once. Finished jobs are
deleted ``job_expiry`` seconds after they finished; a poll for a deleted or
unknown job gets 404 ``the job has been expired``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from typing import Any

from pulumi_zstack.simulator.operations import OPERATIONS, JobRequest
from pulumi_zstack.simulator.store import FAILED, RUNNING, SUCCEEDED, Job, Store
from pulumi_zstack.simulator.wire import ApiError

SESSION_EXPIRED = "Session expired"


@dataclass(frozen=True)
class InjectedError:
    """A failure a ``job_error`` fault makes the job report."""

    code: str
    details: str | None = None
    description: str | None = None

    def to_api_error(self, operation: str) -> ApiError:
        return ApiError(self.code, self.details or f"simulated failure of {operation}", self.description)


class JobRunner:
    """Schedules, runs and expires the jobs kept in a :class:`Store`."""

    def __init__(self, store: Store, job_expiry: float, locale: str = "en_US") -> None:
        self._store = store
        self._job_expiry = job_expiry
        self._locale = locale
        self._timers: dict[str, asyncio.TimerHandle] = {}

    def submit(
        self,
        *,
        job_uuid: str,
        method: str,
        path: str,
        operation: str,
        request: JobRequest,
        session_uuid: str | None,
        delay: float,
        api_timeout: float,
        injected: InjectedError | None,
    ) -> Job:
        """Persist a job and run its checks at once, as the node's API interceptors do on submit.

        A failed check, or a check that ends the call early (a delete of a missing resource), is
        the job's result at once. Otherwise the change is made after ``delay`` (or the job fails
        with SYS.1001 at ``api_timeout``).
        """
        now = time.time()
        outcome: tuple[str, dict[str, Any]] | None = None
        try:
            early = self._check(operation, request, session_uuid, now)
        except ApiError as error:
            outcome = (FAILED, error.body(self._locale))
        else:
            outcome = None if early is None else (SUCCEEDED, early)
        job = Job(
            uuid=job_uuid,
            method=method,
            path=path,
            operation=operation,
            request=request.to_json(),
            session_uuid=session_uuid,
            submitted_at=now,
            due_at=now + min(delay, api_timeout),
            timed_out_after=api_timeout if delay > api_timeout else None,
            injected_error=None if injected is None else asdict(injected),
            status=RUNNING,
            result=None,
            finished_at=None,
            first_done_poll_at=None,
            polls=0,
        )
        with self._store.transaction():
            self._store.insert_job(job)
            if outcome is not None:
                self._store.finish_job(job.uuid, *outcome, now)
        if outcome is None:
            self._schedule(job)
        return job

    def _check(
        self, operation: str, request: JobRequest, session_uuid: str | None, now: float
    ) -> dict[str, Any] | None:
        """The interceptor checks, in the node's order: arguments and existence (SYS.1007,
        SYS.1003), the session (ID.1001), the business state (SYS.1006)."""
        op = OPERATIONS[operation]
        early = op.check(self._store, request)
        if early is not None:
            return early
        if session_uuid is not None and not self._store.session_valid(session_uuid, now):
            raise ApiError("ID.1001", SESSION_EXPIRED)
        op.precondition(self._store, request)
        return None

    def resume(self) -> None:
        """Reschedule the jobs a previous process left running."""
        for job in self._store.jobs(RUNNING):
            self._schedule(job)

    def cancel_all(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()

    def expire(self) -> None:
        """Forget jobs that finished more than ``job_expiry`` seconds ago."""
        self._store.delete_jobs_finished_before(time.time() - self._job_expiry)

    def poll(self, job_uuid: str) -> Job | None:
        """The job as a poll sees it (None: unknown or expired); counts the poll."""
        job = self._store.job(job_uuid)
        now = time.time()
        if job is None or (job.finished_at is not None and job.finished_at < now - self._job_expiry):
            return None
        self._store.record_poll(job_uuid, done=job.status != RUNNING, now=now)
        return job

    def _schedule(self, job: Job) -> None:
        loop = asyncio.get_running_loop()
        self._timers[job.uuid] = loop.call_later(max(0.0, job.due_at - time.time()), self._run, job.uuid)

    def _run(self, job_uuid: str) -> None:
        self._timers.pop(job_uuid, None)
        job = self._store.job(job_uuid)
        if job is None or job.status != RUNNING:
            return
        now = time.time()
        with self._store.transaction():
            try:
                result, status = self._execute(job, now), SUCCEEDED
            except ApiError as error:
                result, status = error.body(self._locale), FAILED
            self._store.finish_job(job_uuid, status, result, now)

    def _execute(self, job: Job, now: float) -> dict[str, Any]:
        """The change of a job whose checks passed at submit.

        Existence is checked once more (a zone or backup storage deleted while the job ran is
        ``SYS.1003``: a guess, the node's handlers would fail in their own ways); the session and
        the pair's state are not, as the node's handlers do not check them again
        (``BackupStorageBase.handle``): two attaches of one pair submitted together both succeed.
        """
        if job.timed_out_after is not None:
            raise ApiError("SYS.1001", f"API timeout after {round(job.timed_out_after * 1000)}ms")
        operation = OPERATIONS[job.operation]
        request = JobRequest.from_json(job.request)
        short_cut = operation.check(self._store, request)
        if short_cut is not None:
            return short_cut
        if job.injected_error is not None:
            raise InjectedError(**job.injected_error).to_api_error(job.operation)
        return operation.apply(self._store, request, now)
