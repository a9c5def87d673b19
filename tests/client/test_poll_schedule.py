"""The poll schedule, driven by a simulated clock (no server, no sleeping)."""

from __future__ import annotations

import itertools
import math
import random
import statistics
import threading

import pytest

from pulumi_zstack.client import ConfigurationError, PollPolicy
from pulumi_zstack.client.jobs import DurationHistory, Estimate, PollSchedule

KEY = ("http://zstack:8080/zstack", "AttachBackupStorageToZone")
RTT = 0.002  # a poll's round trip on a LAN


def run_job(
    policy: PollPolicy, history: DurationHistory, duration: float, phase: float = 0.9
) -> tuple[int, float]:
    """Poll a job that finishes ``duration`` s after submit, as JobRunner.wait does (``phase``: its
    grid phase if it has no history).

    Returns the number of polls and how late the client noticed the finish.
    """
    schedule = PollSchedule(policy, history.get(KEY), random.Random(7), phase=phase)
    now, last_running, polls = 0.0, 0.0, 0
    while True:
        now += schedule.next_delay(now) + RTT
        polls += 1
        if now - RTT / 2 >= duration:
            history.observe(KEY, last_running, now, policy)
            return polls, now - duration
        last_running = now


def documented_tight(elapsed: float) -> float:
    """``I(t) = clamp(0.08 t, 30 ms, 2.5 s)``: the PollPolicy docstring's tight interval."""
    return min(2.5, max(0.03, 0.08 * elapsed))


def documented_lead(estimate: Estimate) -> float:
    """``lead = max(I(E) / 2, spread * D)`` with spread 2.5: the PollPolicy docstring's formula
    with the default policy, written out independently."""
    return max(documented_tight(estimate.mean) / 2, 2.5 * estimate.deviation)


def documented_aim(estimate: Estimate) -> float:
    """How far ahead of E the first poll is: ``min(lead, max(0.1 I(E), spread * D))`` while steady
    (no surprise, or one early), else the lead (the PollPolicy docstring, written out)."""
    lead = documented_lead(estimate)
    if not -1 <= estimate.surprises <= 0:
        return lead
    return min(lead, max(0.1 * documented_tight(estimate.mean), 2.5 * estimate.deviation))


def target(duration: float) -> float:
    return max(0.05, 0.1 * duration)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def test_without_history_intervals_grow_from_30ms_to_the_cap() -> None:
    schedule = PollSchedule(PollPolicy(jitter=0), None)
    delays = [schedule.next_delay(0) for _ in range(14)]
    assert delays[:3] == pytest.approx([0.03, 0.045, 0.0675])
    assert delays == sorted(delays)
    assert delays[-1] == 2.5


def test_without_history_jobs_started_together_spread_evenly_over_the_grid() -> None:
    policy = PollPolicy()
    firsts = [PollSchedule(policy, None).next_delay(0) for _ in range(80)]
    # 30 ms on a grid shrunk by 1.5 ** -u, u in [0, 1): the phase u of each job.
    assert all(0.03 / 1.5 <= d <= 0.03 for d in firsts)
    phases = [math.log(0.03 / d, 1.5) for d in firsts]
    # Any 4 consecutive jobs (a first wave of the provider host's 4 threads) leave no gap wider
    # than 0.38 of a grid step (the PollPolicy docstring; independent random phases leave one
    # wider than 0.5 with probability 1/2, so 20 waves would all be this even once in a million).
    for wave in range(0, 80, 4):
        ordered = sorted(phases[wave : wave + 4])
        gaps = [b - a for a, b in itertools.pairwise(ordered)] + [1 + ordered[0] - ordered[-1]]
        assert max(gaps) <= 0.382, (wave, ordered)
    # Without history a job's own intervals are the plain grid: x1.5 each, no jitter.
    schedule = PollSchedule(policy, None, phase=0.5)
    delays = [schedule.next_delay(0) for _ in range(4)]
    assert delays == pytest.approx([0.03 * 1.5**-0.5 * 1.5**k for k in range(4)])


def test_jitter_only_shortens_the_intervals_of_a_job_running_long() -> None:
    # A job with a 0.2 s history still running at 1 s: intervals x1.5 from I(t) up to the 2.5 s cap,
    # each shortened by up to 20 %.
    schedule = PollSchedule(PollPolicy(jitter=0.2), Estimate(0.2, 0.001), random.Random(1))
    schedule.next_delay(0.0)
    delays = [schedule.next_delay(1.0) for _ in range(30)]
    nominal = [min(2.5, 0.08 * 1.5**k) for k in range(30)]
    assert all(0.8 * n <= d <= n for d, n in zip(delays, nominal, strict=True))
    assert delays != nominal


@pytest.mark.parametrize(
    ("duration", "mean_polls"),
    # Past ~30 s the 2.5 s cap polls more often than the 10 % target needs: more polls, less delay.
    [(0.05, 3), (0.3, 3), (1.0, 3), (5.0, 3), (30.0, 3), (300.0, 6)],
)
def test_steady_jobs_are_noticed_quickly_with_few_polls(duration: float, mean_polls: float) -> None:
    policy, history, rng = PollPolicy(), DurationHistory(), random.Random(3)
    results = [run_job(policy, history, duration * rng.uniform(0.98, 1.02)) for _ in range(40)]
    warm = results[3:]
    assert statistics.mean(polls for polls, _ in warm) <= mean_polls
    assert p95([late for _, late in warm]) <= target(duration * 0.98)


@pytest.mark.parametrize("duration", [0.05, 1.0, 20.0])
def test_noisy_jobs_still_meet_the_latency_target(duration: float) -> None:
    # Judged over histories that start from 10 evenly spread first-job phases: one history's p95
    # depends on where its first, unaimed job happened to be polled.
    lateness, polls = [], []
    for phase in (k / 10 + 0.05 for k in range(10)):
        policy, history, rng = PollPolicy(), DurationHistory(), random.Random(5)
        durations = [duration * rng.uniform(0.85, 1.15) for _ in range(60)]
        results = [(run_job(policy, history, d, phase), d) for d in durations]
        lateness += [late / target(d) for (_, late), d in results[5:]]
        polls += [n for (n, _), _ in results[5:]]
    assert p95(lateness) <= 1.0
    assert statistics.mean(polls) <= 6


def test_steady_jobs_are_noticed_within_a_fine_step_not_a_whole_interval() -> None:
    policy, history, rng = PollPolicy(), DurationHistory(), random.Random(3)
    results = [run_job(policy, history, 0.2 * rng.uniform(0.995, 1.005)) for _ in range(40)]
    warm = results[5:]
    fine_step = 0.003  # 10 % of I(0.2 s) = 30 ms (the PollPolicy docstring's example)
    assert statistics.mean(late for _, late in warm) <= fine_step + RTT
    assert statistics.mean(polls for polls, _ in warm) <= 2.5


def test_a_steady_job_done_at_its_first_poll_keeps_the_polls_fine() -> None:
    # Jobs of 0.2 s, each seen within 1.5 ms of its end: E = 0.2 s, D ~ 0, first poll at
    # E - 0.1 I(E) = 197 ms, then 3 ms steps. Then a job ends just before that first poll.
    policy, history = PollPolicy(), DurationHistory()
    history.observe(KEY, 0.15, 0.25, policy)
    for _ in range(20):
        settled = history.observe(KEY, 0.1985, 0.2015, policy)
    schedule = PollSchedule(policy, settled)
    first = schedule.next_delay(0)
    assert first == pytest.approx(0.197, abs=0.0005)
    early = history.observe(KEY, 0.0, first, policy)
    # It ended within the 3 ms the poll was aimed ahead: E moves by a fraction of that, and the
    # next job is still polled a fine step apart, not by the 15 ms lead (I(0.2 s) / 2).
    schedule = PollSchedule(policy, early)
    following = schedule.next_delay(0)
    assert first - 0.003 <= following < first
    assert schedule.next_delay(following) <= 0.1 * 0.03 + 1e-9


def test_after_a_surprise_polls_are_coarse_again() -> None:
    # E = 1 s, D = 1 ms: I(E) = 80 ms, lead = max(40 ms, 2.5 ms) = 40 ms.
    steady = Estimate(1.0, 0.001)
    surprised = steady._replace(surprises=1)
    # Steady: aim = min(40 ms, max(10 % of 80 ms, 2.5 ms)) = 8 ms, and steps of 8 ms.
    schedule = PollSchedule(PollPolicy(), steady)
    assert schedule.next_delay(0.0) == pytest.approx(0.992)
    assert schedule.next_delay(0.992) == pytest.approx(0.008)
    # After a surprise: aim = lead = 40 ms, steps of I(t) = 8 % of t.
    schedule = PollSchedule(PollPolicy(), surprised)
    assert schedule.next_delay(0.0) == pytest.approx(0.96)
    assert schedule.next_delay(0.96) == pytest.approx(0.0768)


def test_first_job_of_an_operation_is_noticed_within_half_its_duration() -> None:
    for duration in (0.05, 0.7, 12.0):
        polls, late = run_job(PollPolicy(jitter=0), DurationHistory(), duration)
        assert late <= max(0.05, 0.5 * duration)
        assert polls <= 15


@pytest.mark.parametrize(("before", "after"), [(1.0, 5.0), (5.0, 1.0), (0.05, 2.0)])
def test_estimate_follows_a_change_in_duration(before: float, after: float) -> None:
    policy, history = PollPolicy(), DurationHistory()
    for _ in range(10):
        run_job(policy, history, before)
    results = [run_job(policy, history, after) for _ in range(15)]
    assert statistics.mean(polls for polls, _ in results[-5:]) <= 3
    assert max(late for _, late in results[-5:]) <= target(after)


def test_a_job_running_far_past_its_history_backs_off_to_the_cap() -> None:
    schedule = PollSchedule(PollPolicy(jitter=0), Estimate(1.0, 0.001))
    now, delays = 0.0, []
    while now < 120:
        delay = schedule.next_delay(now)
        delays.append(delay)
        now += delay
    assert delays[0] == pytest.approx(0.992)  # aimed 8 ms before the expected finish
    assert delays[-1] == 2.5  # the cap
    assert len(delays) < 70


def test_history_learning_rules() -> None:
    policy, history = PollPolicy(), DurationHistory()
    assert history.get(KEY) is None
    first = history.observe(KEY, 0.5, 1.5, policy)  # a rough first bracket: the middle
    assert first.mean == pytest.approx(1.0)
    assert documented_lead(first) == pytest.approx(0.5)  # the next lead spans the bracket
    precise = history.observe(KEY, 1.18, 1.22, policy)  # a tight bracket overrides a rough guess
    assert precise.mean == pytest.approx(1.2, abs=0.01)
    settled = precise
    for _ in range(10):
        settled = history.observe(KEY, 1.18, 1.22, policy)
    smooth = history.observe(KEY, 1.20, 1.26, policy)  # small news: moved by `smoothing`
    assert smooth.mean - settled.mean == pytest.approx(0.25 * (1.23 - settled.mean), rel=0.05)
    assert smooth.surprises == 0

    early = history.observe(KEY, 0.0, 1.1, policy)  # done at the first poll: next first poll earlier
    assert early.surprises == -1
    # (one early job is smoothed like any sample, taken at 1.1 s - aim / 2: the next first poll moves
    # toward it, not necessarily past 1.1 s; a second one in a row starts the search below)
    assert PollSchedule(policy, early).next_delay(0) < PollSchedule(policy, smooth).next_delay(0) - 0.05
    again = history.observe(KEY, 0.0, 1.0, policy)  # again: jump down (exponential search) ...
    assert again.mean == pytest.approx(1.0 - 4 * documented_aim(early))
    assert again.mean >= 0.5  # ... but never below half the poll time
    found = history.observe(KEY, 0.30, 0.34, policy)  # seen running at last: taken (nearly) as is
    assert found.mean == pytest.approx(0.32, abs=0.01)
    assert found.surprises == 0

    late = history.observe(KEY, 2.0, 3.0, policy)  # far later than expected: one surprise is smoothed
    assert late.surprises == 1
    assert late.mean < 1
    confirmed = history.observe(KEY, 2.0, 3.0, policy)  # a second one: the duration changed
    assert confirmed.mean == pytest.approx(2.5)
    assert history.get(("http://other:8080/zstack", KEY[1])) is None


def test_concurrent_jobs_share_one_surprise() -> None:
    policy, history = PollPolicy(), DurationHistory()
    for _ in range(5):
        history.observe(KEY, 0.98, 1.02, policy)
    basis = history.get(KEY)
    assert basis is not None
    first = history.observe(KEY, 0.0, 0.9, policy, basis=basis)  # done at its first poll
    assert first.surprises == -1
    # A job polled by the same (now older) estimate, also early: learned, but not a second
    # surprise in a row, so no jump down.
    second = history.observe(KEY, 0.0, 0.9, policy, basis=basis)
    assert second.surprises == -1
    assert second.mean > 0.9 - 4 * documented_lead(first)
    # Polled by the current estimate, the same news is a second surprise.
    third = history.observe(KEY, 0.0, 0.9, policy, basis=second)
    assert third.surprises == -2


def test_a_first_estimate_wakes_the_jobs_waiting_without_one() -> None:
    history, policy = DurationHistory(), PollPolicy()

    def wait_while_a_job_finishes(low: float, high: float, than: Estimate | None) -> Estimate | None:
        """Wait for an estimate other than ``than`` while another thread learns a job (low, high]."""
        timer = threading.Timer(0.05, history.observe, (KEY, low, high, policy))
        timer.start()
        try:
            return history.wait_for_change(KEY, than, 30.0)
        finally:
            timer.join()

    assert history.wait_for_change(KEY, None, 0.0) is None
    estimate = wait_while_a_job_finishes(0.1, 0.2, None)
    assert estimate is not None and estimate.mean == pytest.approx(0.15)
    # Waiting for a newer one than that: none comes within the timeout, then one does.
    assert history.wait_for_change(KEY, estimate, 0.0) is estimate
    newer = wait_while_a_job_finishes(0.14, 0.16, estimate)
    assert newer is not None and newer is not estimate and newer is history.get(KEY)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"initial_interval": 0},
        {"min_interval": 5, "max_interval": 2},
        {"multiplier": 0.5},
        {"jitter": 1},
        {"fine_fraction": 0},
    ],
)
def test_invalid_policies_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigurationError):
        PollPolicy(**kwargs)
