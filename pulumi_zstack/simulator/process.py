"""Run the simulator as a subprocess and drive its control plane, for tests, demos and benchmarks.

>>> with SimulatorProcess(job_delay=0.05) as sim:          # doctest: +SKIP
...     control = SimulatorControl(sim.url)
...     requests.get(f"{sim.endpoint}/v1/zones", headers=...)
...     control.jobs()
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

_LISTENING = "listening on "


class SimulatorStartError(RuntimeError):
    """The simulator process exited or did not announce its address in time."""


class SimulatorProcess:
    """``python -m pulumi_zstack.simulator`` in a subprocess.

    ``port=0`` (the default) picks a free port; :meth:`restart` keeps the port
    that was picked and the ``db``, so a restarted simulator has the same URL and,
    with a ``db`` file, the same state. The process is started by :meth:`start`
    or by entering the context manager. ``python`` is the interpreter that runs it (default: this
    one); it needs the ``simulator`` extra (aiohttp).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        job_delay: float | None = None,
        db: str | Path | None = None,
        seed: str | Path | None = None,
        session_timeout: float | None = None,
        job_expiry: float | None = None,
        max_sessions: int | None = None,
        locale: str | None = None,
        time_zone: str | None = None,
        check_time_zone: bool = False,
        query_latency: float | None = None,
        env: Mapping[str, str] | None = None,
        start_timeout: float = 10.0,
        python: str | Path | None = None,
    ) -> None:
        self.host = host
        self.python = str(python or sys.executable)
        self.port = port
        self._options: dict[str, object | None] = {
            "--job-delay": job_delay,
            "--db": db,
            "--seed": seed,
            "--session-timeout": session_timeout,
            "--job-expiry": job_expiry,
            "--max-sessions": max_sessions,
            "--locale": locale,
            "--time-zone": time_zone,
            "--query-latency": query_latency,
        }
        self._check_time_zone = check_time_zone
        self._env = dict(env or {})
        self._start_timeout = start_timeout
        self._proc: subprocess.Popen[str] | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:41234``."""
        if self._url is None:
            raise RuntimeError("the simulator is not running")
        return self._url

    @property
    def endpoint(self) -> str:
        """The ZStack endpoint including the context path, e.g. ``http://127.0.0.1:41234/zstack``."""
        return f"{self.url}/zstack"

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    def command(self) -> list[str]:
        """The command line the process is started with."""
        cmd = [self.python, "-m", "pulumi_zstack.simulator", "--host", self.host, "--port", str(self.port)]
        for flag, value in self._options.items():
            if value is not None:
                cmd += [flag, str(value)]
        if self._check_time_zone:
            cmd.append("--check-time-zone")
        return cmd

    def start(self) -> SimulatorProcess:
        if self._proc is not None:
            raise RuntimeError("the simulator is already running")
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            self.command(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **self._env},
        )
        first_line = self._read_first_line(proc)
        if not first_line.startswith(_LISTENING):
            proc.kill()
            _, stderr = proc.communicate(timeout=5)
            raise SimulatorStartError(
                f"simulator did not start (exit {proc.returncode}): {first_line!r}\n{stderr}"
            )
        self._proc = proc
        self._url = first_line.removeprefix(_LISTENING).strip()
        self.port = int(self._url.rsplit(":", 1)[1])
        # Keep draining stdout/stderr so the child never blocks on a full pipe.
        for stream in (proc.stdout, proc.stderr):
            threading.Thread(target=_drain, args=(stream,), daemon=True).start()
        return self

    def _read_first_line(self, proc: subprocess.Popen[str]) -> str:
        """The first stdout line, read in a thread so that a silent child cannot hang us."""
        stdout = proc.stdout
        assert stdout is not None
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(self._start_timeout)
        if not lines:
            proc.kill()
            proc.wait()
            raise SimulatorStartError(
                f"simulator did not announce its address within {self._start_timeout} s"
            )
        return lines[0]

    def stop(self, timeout: float = 10.0) -> int | None:
        """Stop with SIGTERM (SIGKILL after ``timeout``); returns the exit status."""
        proc, self._proc = self._proc, None
        self._url = None
        if proc is None:
            return None
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
        return proc.returncode

    def restart(self) -> SimulatorProcess:
        """Stop and start again on the same port with the same options and ``db``."""
        self.stop()
        return self.start()

    def __enter__(self) -> SimulatorProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _drain(stream: Any) -> None:
    for _ in iter(stream.readline, ""):
        pass


class SimulatorControl:
    """A thin client of the ``/_sim`` control plane (see ``docs/simulator.md``)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self._http = requests.Session()
        self._timeout = timeout

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, f"{self.url}/_sim{path}", timeout=self._timeout, **kwargs)
        response.raise_for_status()
        return response.json()

    def requests(self, since: float | None = None) -> list[dict[str, Any]]:
        """The request log, optionally only entries after the epoch timestamp ``since``."""
        params = {} if since is None else {"since": repr(since)}
        result: list[dict[str, Any]] = self._call("GET", "/requests", params=params)["requests"]
        return result

    def jobs(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/jobs")["jobs"]
        return result

    def writes(self, since: float | None = None) -> list[tuple[str, str]]:
        """``(method, path)`` of the calls sent to change something, refused or not (every
        non-GET call but login and logout), optionally only those after ``since``."""
        return [
            (r["method"], r["path"])
            for r in self.requests(since)
            if r["method"] != "GET" and "/accounts/" not in r["path"]
        ]

    def changes(self, since: float | None = None) -> list[tuple[str, str]]:
        """``(method, path)`` of the async calls that changed something: their job succeeded
        (a refused call changes nothing), optionally only those submitted after ``since``."""
        return [
            (job["method"], job["path"])
            for job in self.jobs()
            if job["status"] == "succeeded" and (since is None or job["submittedAt"] > since)
        ]

    def attachments(self) -> list[dict[str, Any]]:
        """Zone / backup storage pairs: ``{"zoneUuid", "backupStorageUuid", "systemTags", "userTags",
        "createDate"}``."""
        result: list[dict[str, Any]] = self._call("GET", "/attachments")["attachments"]
        return result

    def primary_storage_attachments(self) -> list[dict[str, Any]]:
        """Primary storage / cluster pairs: ``{"primaryStorageUuid", "clusterUuid", "createDate"}``."""
        result: list[dict[str, Any]] = self._call("GET", "/attachments")["primaryStorageClusterAttachments"]
        return result

    def l2_network_attachments(self) -> list[dict[str, Any]]:
        """L2 network / cluster pairs: ``{"l2NetworkUuid", "clusterUuid", "createDate"}``."""
        result: list[dict[str, Any]] = self._call("GET", "/attachments")["l2NetworkClusterAttachments"]
        return result

    def faults(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/faults")["faults"]
        return result

    def add_fault(self, **spec: Any) -> int:
        """Add a fault (keywords as the JSON fields: method, path, action, count, ...); returns its id."""
        fault_id: int = self._call("POST", "/faults", json=spec)["id"]
        return fault_id

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def reset(self) -> None:
        self._call("POST", "/reset")

    def expire_sessions(self) -> None:
        self._call("POST", "/sessions/expire")

    def patch_backup_storage(self, uuid: str, **fields: Any) -> dict[str, Any]:
        """Overwrite stored fields of a backup storage; returns its inventory."""
        result: dict[str, Any] = self._call("PATCH", f"/backup-storage/{uuid}", json=fields)["backupStorage"]
        return result

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/stats")
        return result

    def close(self) -> None:
        self._http.close()
