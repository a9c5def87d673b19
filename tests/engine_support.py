"""Engine helpers shared by the e2e and reliability suites."""

from __future__ import annotations

import os
import subprocess

from pulumi import automation as auto

from scripts.engine import engine_bin


def exported_state(stack: auto.Stack) -> str:
    """``pulumi stack export`` as a user runs it (no --show-secrets: secrets stay encrypted, unlike
    the Automation API's export)."""
    ws = stack.workspace
    return subprocess.run(
        [str(engine_bin() / "pulumi"), "stack", "export", "--stack", stack.name],
        cwd=ws.work_dir,
        env={**os.environ, **ws.env_vars},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
