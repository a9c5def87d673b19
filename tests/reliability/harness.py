"""Drive real Pulumi stacks (Automation API, inline programs, the locally built engine and the real
Python provider host) against a simulator, and check the consistency criterion of issue 5.

The consistency criterion: once the fault is gone, ``refresh --expect-no-changes`` and a preview
that plans no change pass, and the simulator's attachments are exactly the stack's.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pytest
import requests
from pulumi import automation as auto

from pulumi_zstack import BackupStorageZoneAttachment
from pulumi_zstack.simulator.process import SimulatorControl
from pulumi_zstack.simulator.seed import ADMIN_PASSWORD
from scripts.engine import inline_stack, stack_config
from tests.engine_support import exported_state

TYPE = "pulumi-python:dynamic/zstack:BackupStorageZoneAttachment"
Pair = tuple[str, str]


@dataclass(frozen=True)
class Want:
    """One attachment the program declares."""

    zone: str
    bs: str
    system_tags: Sequence[Any] | Any | None = None
    user_tags: Sequence[Any] | Any | None = None
    adopt: bool | None = None
    retain_on_delete: bool = False
    resource_name: str | None = None

    @property
    def name(self) -> str:
        return self.resource_name or f"att-{self.zone[:8]}-{self.bs[:8]}"


def wants(*pairs: Pair) -> list[Want]:
    return [Want(zone, bs) for zone, bs in pairs]


class Stack:
    """One inline stack whose program declares ``self.wanted`` (mutable between runs)."""

    def __init__(
        self,
        root: Path,
        endpoint: str,
        wanted: Iterable[Want] = (),
        *,
        name: str = "rel",
        password: str | None = ADMIN_PASSWORD,
        access_key: tuple[str, str] | None = None,
        config: Mapping[str, str] | None = None,
        env: Mapping[str, str] | None = None,
        raw_config: Mapping[str, auto.ConfigValue] | None = None,
    ) -> None:
        self.root = root
        self.wanted: list[Want] = list(wanted)
        self.program: Callable[[], None] = self._declare
        self.output: list[str] = []
        self.events: list[auto.EngineEvent] = []
        full = (
            dict(raw_config)
            if raw_config is not None
            else stack_config(endpoint, password=password, access_key=access_key, extra=config)
        )
        self.stack = inline_stack(root, stack_name=name, program=lambda: self.program(), config=full, env=env)  # noqa: PLW0108

    def _declare(self) -> None:
        for want in self.wanted:
            BackupStorageZoneAttachment(
                want.name,
                zone_uuid=want.zone,
                backup_storage_uuid=want.bs,
                system_tags=want.system_tags,
                user_tags=want.user_tags,
                adopt=want.adopt,
                opts=pulumi.ResourceOptions(retain_on_delete=want.retain_on_delete or None),
            )
        pulumi.export("count", len(self.wanted))

    # -- config ------------------------------------------------------------------------------

    def set(self, key: str, value: str, *, secret: bool = False) -> None:
        self.stack.set_config(key, auto.ConfigValue(value, secret=secret))

    def unset(self, key: str) -> None:
        self.stack.remove_config(key)

    # -- operations (output captured) --------------------------------------------------------

    def _out(self, line: str) -> None:
        self.output.append(line)

    def text(self) -> str:
        return "\n".join(self.output)

    def up(self, **kw: Any) -> auto.UpResult:
        return self.stack.up(on_output=self._out, **kw)

    def refresh(self, **kw: Any) -> auto.RefreshResult:
        return self.stack.refresh(on_output=self._out, **kw)

    def destroy(self, **kw: Any) -> auto.DestroyResult:
        return self.stack.destroy(on_output=self._out, **kw)

    def preview(self, **kw: Any) -> dict[str, int]:
        self.events.clear()
        result = self.stack.preview(on_output=self._out, on_event=self.events.append, **kw)
        return dict(result.change_summary)

    def fails(self, operation: str, **kw: Any) -> str:
        """Run ``up``/``refresh``/``destroy``/``preview``, expecting it to fail; return its output."""
        with pytest.raises(auto.CommandError) as err:
            getattr(self, operation)(**kw)
        return str(err.value)

    # -- state -------------------------------------------------------------------------------

    def deployment(self) -> dict[str, Any]:
        deployment: dict[str, Any] = self.stack.export_stack().deployment
        return deployment

    def resources(self) -> list[dict[str, Any]]:
        return [r for r in self.deployment().get("resources") or [] if r["type"] == TYPE]

    def pairs(self) -> set[Pair]:
        return {(r["outputs"]["zoneUuid"], r["outputs"]["backupStorageUuid"]) for r in self.resources()}

    def pending(self) -> list[dict[str, Any]]:
        return list(self.deployment().get("pending_operations") or [])

    def exported_state(self) -> str:
        """``pulumi stack export`` as a user runs it (no --show-secrets)."""
        return exported_state(self.stack)

    def files_written(self) -> dict[Path, bytes]:
        """Every file under the stack's work dir: backend state, PULUMI_HOME, logs, project files."""
        return {p: p.read_bytes() for p in self.root.rglob("*") if p.is_file()}

    # -- processes ---------------------------------------------------------------------------

    def processes(self, what: Callable[[str], bool]) -> list[int]:
        """Pids of the processes of this stack (engine, provider) whose command line matches."""
        marker = f"PULUMI_HOME={self.root / 'home'}".encode()
        found = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit() or int(proc.name) == os.getpid():
                continue
            try:
                environ = (proc / "environ").read_bytes()
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in environ.split(b"\0") and what(cmdline):
                found.append(int(proc.name))
        return found

    def provider_pids(self) -> list[int]:
        return self.processes(lambda cmd: "-m pulumi.dynamic" in cmd)

    def engine_pids(self) -> list[int]:
        return self.processes(lambda cmd: cmd.split(" ")[0].endswith("/pulumi") and " up " in cmd)

    def kill(self, pids: Iterable[int]) -> None:
        for pid in pids:
            os.kill(pid, signal.SIGKILL)


def sim_pairs(control: SimulatorControl) -> set[Pair]:
    return {(a["zoneUuid"], a["backupStorageUuid"]) for a in control.attachments()}


def assert_consistent(stack: Stack, control: SimulatorControl, *, destroyed: bool = False) -> str:
    """The issue's criterion, with the fault gone. Returns a short description of what was seen.

    After a ``destroy`` (``destroyed``) the stack holds nothing and a preview of the (then empty)
    program plans only the creation of the ``pulumi:pulumi:Stack`` resource itself.
    """
    assert not control.faults(), "consistency is checked once the faults are cleared"
    stack.refresh(expect_no_changes=True)
    summary = stack.preview()
    if destroyed:
        assert not stack.wanted and summary == {"create": 1}, summary
        planned = {
            e.resource_pre_event.metadata.type
            for e in stack.events
            if e.resource_pre_event is not None and e.resource_pre_event.metadata.op == auto.OpType.CREATE
        }
        assert planned == {"pulumi:pulumi:Stack"}, planned
    else:
        assert set(summary) <= {"same"}, f"preview plans changes: {summary}"
    stack_pairs, zstack_pairs = stack.pairs(), sim_pairs(control)
    assert stack_pairs == zstack_pairs, f"stack {sorted(stack_pairs)} != simulator {sorted(zstack_pairs)}"
    assert stack_pairs == {(w.zone, w.bs) for w in stack.wanted}
    assert not stack.pending(), f"pending operations left: {stack.pending()}"
    planned = "only the stack itself (destroyed)" if destroyed else f"{summary}"
    count = f"{len(stack_pairs)} pair" + ("" if len(stack_pairs) == 1 else "s")
    return (
        f"consistent: refresh --expect-no-changes ok, preview plans {planned}, simulator == stack ({count})"
    )


# -- scenario steps shared by the fault scenarios ---------------------------------------------------


def failure_line(stack: Stack, operation: str = "up", *needles: str, **kw: Any) -> str:
    """Run ``operation`` expecting it to fail; the one ``AttachmentError`` line (with ``needles``)."""
    return error_line(stack.fails(operation, **kw), "AttachmentError", *needles)


def converges_once_cleared(stack: Stack, control: SimulatorControl, observe: Callable[[str], None]) -> None:
    """The fault gone: ``up`` succeeds and the stack is consistent."""
    control.clear_faults()
    stack.up()
    observe(assert_consistent(stack, control))


def adopts_after_the_job(
    stack: Stack,
    control: SimulatorControl,
    observe: Callable[[str], None],
    adopted: str = "this resource's own attach job",
) -> None:
    """A job outlived its operation and has finished since: refresh, then ``up`` recognises the
    attachment as its own job's and adopts it (the program does not set ``adopt``)."""
    stack.refresh()
    stack.up()
    assert adopted in stack.text()
    observe(
        "after the job finished: refresh, then up recognised its own attach job and adopted the attachment"
    )
    observe(assert_consistent(stack, control))


def in_background(action: Callable[[], object]) -> Callable[[], None]:
    """Start ``action`` in a thread; the returned function joins it and re-raises its error."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as exc:  # re-raised by join()
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()

    def join() -> None:
        thread.join()
        if errors:
            raise errors[0]

    return join


# -- simulator log helpers -------------------------------------------------------------------------


def now_of(control: SimulatorControl) -> float:
    """A timestamp the next request log entries will be after (the simulator's own clock)."""
    entries = control.requests()
    return entries[-1]["timestamp"] if entries else 0.0


def changes(control: SimulatorControl, since: float = 0.0) -> list[tuple[str, str]]:
    """Async calls since ``since`` whose job succeeded: what changed ZStack (a refused call did not)."""
    return control.changes(since or None)


def sessions(control: SimulatorControl) -> str:
    """The simulator's session counters, asserting that none is left open."""
    stats = control.stats()
    assert stats["logins"] == stats["logouts"] and stats["activeSessions"] == 0, stats
    return f"logins {stats['logins']} = logouts {stats['logouts']}, 0 sessions open"


def logins(control: SimulatorControl, since: float = 0.0) -> int:
    return sum(
        1
        for r in control.requests(since or None)
        if r["method"] == "PUT" and r["path"].endswith("/accounts/login")
    )


def jobs_for(control: SimulatorControl, method: str, zone: str, bs: str) -> list[dict[str, Any]]:
    path = f"/zstack/v1/zones/{zone}/backup-storage/{bs}"
    return [j for j in control.jobs() if j["method"] == method and j["path"] == path]


def failed_codes(control: SimulatorControl, jobs: Iterable[Mapping[str, Any]]) -> list[str]:
    """The ZStack error codes of the failed ``jobs``, as the API answers them (``GET /v1/api-jobs``)."""
    codes = []
    for job in jobs:
        if job["status"] == "failed":
            answer = requests.get(f"{control.url}/zstack/v1/api-jobs/{job['uuid']}", timeout=10)
            codes.append(answer.json()["error"]["code"])
    return sorted(codes)


def wait_for(predicate: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    """Poll ``predicate`` until it returns something truthy (a synchronisation point, not a timing check)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


def wait_jobs_done(control: SimulatorControl) -> None:
    wait_for(lambda: all(j["status"] != "running" for j in control.jobs()), "the simulator's jobs to finish")


def error_line(output: str, *needles: str) -> str:
    """The one output line that contains every needle (the message a person reads)."""
    lines = [line.strip() for line in output.splitlines() if all(n in line for n in needles)]
    assert lines, f"no line with {needles!r} in:\n{output[-4000:]}"
    return lines[-1]


def short(text: str, limit: int = 230) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
