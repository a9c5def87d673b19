"""Render ``docs/reliability.md`` from the rows the scenarios recorded (see ``conftest.py``).

The table is generated; the prose around it (how to read it, the recovery procedures, the limits)
lives here so that one ``make reliability`` rewrites the whole page consistently.
"""

from __future__ import annotations

import datetime
import platform
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

_STARTED = time.monotonic()


def elapsed() -> float:
    """Seconds since the suite's modules were collected (close to the session's start)."""
    return time.monotonic() - _STARTED


#: What the page describes: a change under these paths makes it stale (tests/unit/test_docs_fresh.py).
DESCRIBED_PATHS = ("pulumi_zstack", "tests/reliability")
DESCRIBED_LINE = re.compile(r"^Ran on commit `([0-9a-f]{40})`: trees (\S+)", re.MULTILINE)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def described_trees(repo: Path) -> str:
    """The git tree ids of :data:`DESCRIBED_PATHS` at HEAD, joined: they change exactly when the
    committed product or matrix code changes (not when a rebase only rewrites commit ids)."""
    return "+".join(_git(repo, "rev-parse", f"HEAD:{path}").strip() for path in DESCRIBED_PATHS)


def described(repo: Path) -> tuple[str, str] | None:
    """``(HEAD commit, described trees)``; ``None`` when those paths have uncommitted changes."""
    if _git(repo, "status", "--porcelain", "--", *DESCRIBED_PATHS).strip():
        return None
    return _git(repo, "rev-parse", "HEAD").strip(), described_trees(repo)


@dataclass
class ReportRow:
    area: str
    fault: str
    expected: str
    observed: list[str]
    outcome: str


AREAS = [
    ("transient", "Transient faults"),
    ("session", "Sessions"),
    ("job", "Jobs that fail, expire or never finish"),
    ("credentials", "Credentials"),
    ("concurrency", "Other actors"),
    ("ownership", "Ownership: attachments Pulumi did not make"),
    ("out of band", "Objects deleted out of band"),
    ("killed", "Killed processes"),
    ("bad input", "Bad input"),
    ("TLS", "TLS"),
    ("security", "Security"),
    ("load", "Load"),
]

HEADER = """\
# Reliability and security: the fault matrix

This page is **generated** by `make reliability` (`PULUMI_ZSTACK_RELIABILITY_REPORT=1 pytest
tests/reliability`): every row is one automated scenario of `tests/reliability/`, and the *observed*
column is what that run measured (messages are quoted as the provider printed them, counts come from
the simulator's `/_sim/requests` and `/_sim/jobs`). Do not edit the table by hand; rerun the suite.

Each scenario drives the real Pulumi engine (Automation API inline programs, the locally built CLI),
the real Python provider host (`python -m pulumi.dynamic`) and the ZStack simulator with faults
injected (`POST /_sim/faults`). Unless a row says otherwise it ends with the **consistency
criterion** of issue 5, checked once the fault is cleared:

1. `pulumi refresh --expect-no-changes` passes,
2. a `pulumi preview` plans no change,
3. the simulator's attachments are exactly the stack's (and no pending operation is left).

The rows reading `consistent: ...` are that check. Messages quoted below are the last line of the
provider's error as `pulumi up` prints it (`AttachmentError: ...`, `SettingsError: ...`).
"""

RECOVERY = """\
## Recovering from a killed provider or a killed `pulumi up`

Observed with Pulumi v3.274.1 (the `killed` rows above are the automated proof).

**The provider process dies** (SIGKILL, OOM) while an attach job runs. The engine fails that
resource with `error reading from server: EOF` and records **no** pending operation: the resource is
simply not in the state. The ZStack job keeps running and usually completes. Recovery, with no state
editing:

```console
$ pulumi refresh --yes     # optional here: nothing in the state refers to the lost create
$ pulumi up --yes          # the create finds the pair attached by its own earlier job and adopts it:
                           #   "adopted the existing attachment of ...: this resource's own attach job
                           #    ... made it (its outcome had not reached the stack)"
```

The attach jobs of a resource carry job uuids derived from the resource and the pair
(`pulumi_zstack/_ownership.py`), and the node answers `GET /v1/api-jobs/{uuid}` for 3 hours: that is
how `up` tells its own lost attach from an attachment someone else made (which it refuses unless
`adopt=True`). If the job has not finished yet, `up` finds its uuid taken by the running job and waits
for that job instead of submitting a second one. A SIGKILLed provider cannot log out: its ZStack session
stays open until the node's `identity.session.timeout`.

**The whole `pulumi up` dies** (the CI runner is killed): the state keeps a pending `creating`
operation for every resource in flight, and a file/diy backend keeps the stack lock. A non-interactive
`pulumi refresh` does **not** clear pending creates (it only prompts when interactive), and `pulumi up`
works but warns about them on every run. The recovery that converges without editing the state:

```console
$ pulumi cancel --yes                          # releases the lock left by the dead process
$ pulumi refresh --clear-pending-creates --yes # forgets the creates that never got recorded
$ pulumi up --yes                              # recognises and adopts its own attachments, attaches the rest
$ pulumi refresh --expect-no-changes --yes     # verification: the stack matches ZStack
```

(Automation API: `stack.cancel()`, `stack.refresh(clear_pending_creates=True)`, `stack.up()`.)
`--import-pending-creates <urn> <zoneUuid>:<backupStorageUuid>` is an alternative to clearing, but
clearing and letting `up` adopt needs no ids and is the path the suite proves. Pending *deletes* and
*updates* are cleared by a plain `pulumi refresh`: a detach that completed makes refresh drop the pair.
"""

NOTES = """\
## What the provider does about faults

- **Retries** (client): connection failures, timeouts and 502/503/504 answers without a ZStack error
  body are retried up to 5 attempts with jittered exponential backoff (about 1.5-3 s in all); every
  async submit carries a client-chosen `X-Job-UUID` and a repeat reuses it, so a repeated submit is
  refused as a duplicate and the client polls the original job: no double attach or detach.
- **Unknown outcomes**: when a job times out (`zstack:jobTimeout`), its result expired (`404 the job
  has been expired`) or the answer was lost after the retries, the provider reads the pair once. If it
  already is as wanted the operation succeeds (`... are attached, as wanted, although ...`); otherwise
  the error says the job may still finish and to run `pulumi refresh`, then `pulumi up`, which
  recognises a completed attachment as the resource's own (create) or drops a completed detach (refresh).
- **Ownership**: a create never takes over an attachment it did not make: a pair attached by someone
  else (before the run, while our attach was on its way, or by another stack) fails with one line naming
  the pair and the ways on (`adopt=True`, `BackupStorageZoneAttachment.get`, or leaving it out).
- **Sessions**: the provider process logs out when the engine stops it, each lookup right after its
  query; the *sessions* rows count logins and logouts in the simulator's `/_sim/stats`.
- **Checks**: uuids and tags are validated in `check` (also during `preview`, no API call); `create`
  attaches at once and the node refuses an unknown uuid (`SYS.1003`) or an attached pair (`SYS.1006`),
  changing nothing; only then does the provider read the ends, to name the field or the owner.
- **Messages**: one line naming the pair, the ZStack code and details, and the `zstack:*` setting (with
  its environment variable) to fix: `zstack:accountName`/`accountPassword` for ID.1000,
  `zstack:accessKeyId`/`accessKeySecret` for a refused signature, the clock (NTP) for
  `requestTimeTooSkewed`, `zstack:caBundle`/`insecure` for TLS, `zstack:requestTimeout` for read
  timeouts, `zstack:endpoint`/`contextPath` for an endpoint that is not ZStack. The configured password
  and access-key secret are masked (`***`) in every provider message, on top of the client's masking
  of the password hash and session ids.
- **TLS**: verification is on by default; `zstack:caBundle` trusts a private CA; `zstack:insecure=true`
  disables verification only when set, and prints one warning per provider process (urllib3's
  per-request warning is silenced).

## Things to know when running unattended

- **`pulumi refresh` uses the provider settings recorded by the last `pulumi up`**, not the current
  stack config (the default provider's inputs are kept in the state). After changing a `zstack:*`
  setting -- a rotated password, a new endpoint, `insecure` -- run `pulumi refresh --run-program` (the
  program runs, so the provider gets the current config) or `pulumi up` first.
- After a failed `up`, fix the cause and run `pulumi up` again: a create that failed left nothing in the
  state, and `up` recognises an attachment that its job completed anyway.
- A detach that fails (`BS.1002`, a timeout) leaves the pair in the stack; `pulumi destroy` or `up` can
  simply be run again.
- The simulator faults used here (`status`, `delay`, `drop`, `drop_before`, `job_error`, `job_delay`,
  `expire_session`, `clock_skew`, and `probability` for random failures) are documented in
  `docs/simulator.md`.
"""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(rows: list[ReportRow], *, session_seconds: float, source: tuple[str, str] | None) -> str:
    passed = sum(r.outcome == "pass" for r in rows)
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    described = (
        f"Ran on commit `{source[0]}`: trees {source[1]} of `pulumi_zstack/` and `tests/reliability/`. "
        "`make test` fails once a commit changes them (`tests/unit/test_docs_fresh.py`): rerun "
        "`make reliability`."
        if source
        else "Ran on **uncommitted changes** to `pulumi_zstack/` or `tests/reliability/`: "
        "commit them and rerun `make reliability`."
    )
    parts = [
        HEADER,
        f"{described}\n",
        f"Last run: {when}, Python {platform.python_version()}, {len(rows)} rows, {passed} passed, "
        f"{len(rows) - passed} not passed; the whole suite took {session_seconds:.0f} s.\n",
        "## The matrix\n",
    ]
    known = [area for area, _ in AREAS]
    titles = dict(AREAS)
    for area in [*known, *sorted({r.area for r in rows} - set(known))]:
        selected = [r for r in rows if r.area == area]
        if not selected:
            continue
        parts.append(f"### {titles.get(area, area)}\n")
        parts.append("| fault | expected | observed | result |")
        parts.append("| --- | --- | --- | --- |")
        for row in selected:
            observed = "<br>".join(_cell(o) for o in row.observed) or "(nothing recorded)"
            parts.append(f"| {_cell(row.fault)} | {_cell(row.expected)} | {observed} | {row.outcome} |")
        parts.append("")
    parts.extend([RECOVERY, NOTES])
    return "\n".join(parts)
