"""The README's main job (`make demo`): the whole product against the embedded ZStack simulator.

Starts the simulator with its default seed, then walks through what a pipeline does with the
example program (``examples/attach-backup-storage``): preview, up, an out-of-band change made
by an operator through the ZStack API, drift detection with ``preview --refresh``, the repair,
and destroy. Uses the real Pulumi CLI on the program directory when the Python language host is
available, the same program through the Automation API otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from pulumi import automation as auto

from pulumi_zstack.client import ZStackClient
from pulumi_zstack.simulator.process import SimulatorProcess
from pulumi_zstack.simulator.seed import ADMIN_ACCOUNT, ADMIN_PASSWORD, IMAGESTORE_1_UUID, ZONE_1_UUID
from scripts.engine import (
    REPO,
    inline_stack,
    language_host_available,
    load_example_program,
    offline_env,
    stack_config,
)

STACK = "demo"


def step(number: int, title: str, explanation: str) -> None:
    print(f"\n{'=' * 78}\n Step {number}: {title}\n{'=' * 78}")
    print(textwrap.fill(explanation, 78))
    print(flush=True)


class CliStack:
    """The example directory driven by the real ``pulumi`` CLI (needs the Python language host)."""

    def __init__(self, root: Path, endpoint: str) -> None:
        self.env = {**offline_env(root), "PULUMI_STACK": STACK}
        (root / "state").mkdir(parents=True, exist_ok=True)
        self.cwd = REPO / "examples" / "attach-backup-storage"
        self.pulumi("stack", "init", STACK, "--secrets-provider", "passphrase")
        self.pulumi("config", "set", "zstack:endpoint", endpoint)
        self.pulumi("config", "set", "zstack:accountName", ADMIN_ACCOUNT)
        self.pulumi("config", "set", "--secret", "zstack:accountPassword", ADMIN_PASSWORD)

    def pulumi(self, *args: str) -> None:
        subprocess.run(["pulumi", *args], cwd=self.cwd, env={**os.environ, **self.env}, check=True)

    def preview(self, refresh: bool = False) -> None:
        self.pulumi("preview", *(["--refresh"] if refresh else []))

    def up(self, refresh: bool = False) -> None:
        self.pulumi("up", "--yes", "--skip-preview", *(["--refresh"] if refresh else []))

    def destroy(self) -> None:
        self.pulumi("destroy", "--yes", "--skip-preview", "--remove")


class AutomationStack:
    """The same program, run in process through the Automation API with the same engine."""

    def __init__(self, root: Path, endpoint: str) -> None:
        config = stack_config(endpoint, password=ADMIN_PASSWORD, account=ADMIN_ACCOUNT)
        self.stack = inline_stack(root, stack_name=STACK, program=load_example_program(), config=config)

    def preview(self, refresh: bool = False) -> None:
        result = self.stack.preview(refresh=refresh, on_output=print, diff=refresh)
        print(f"-> planned changes: {dict(result.change_summary)}")

    def up(self, refresh: bool = False) -> None:
        result = self.stack.up(on_output=print, refresh=refresh)
        print("-> stack outputs:")
        for key, value in result.outputs.items():
            print(f"     {key:20} {value.value}")

    def destroy(self) -> None:
        self.stack.destroy(on_output=print)
        self.stack.workspace.remove_stack(STACK)


def main() -> int:
    with (
        tempfile.TemporaryDirectory(prefix="pulumi-zstack-demo-") as tmp,
        SimulatorProcess(port=0, job_delay=0.5) as simulator,
    ):
        print(
            f"ZStack simulator started on {simulator.url}\n"
            "(default seed: zones zone-1 and zone-2, backup storages imagestore-1 and sftp-1)"
        )
        root = Path(tmp)
        if language_host_available():
            print("Running examples/attach-backup-storage with the pulumi CLI.")
            stack: CliStack | AutomationStack = CliStack(root, simulator.url)
        else:
            print(
                "The Python language host is not available on this machine (the Go module proxy does not\n"
                "serve it), so examples/attach-backup-storage runs through the Automation API with the\n"
                "same engine."
            )
            stack = AutomationStack(root, simulator.url)

        step(
            1,
            "pulumi preview",
            "The plan for a new stack: one BackupStorageZoneAttachment to create. "
            "Preview only reads ZStack (the lookups); nothing is attached yet.",
        )
        stack.preview()

        step(
            2,
            "pulumi up",
            "Attaches backup storage imagestore-1 to zone-1 (AttachBackupStorageToZone, an "
            "async ZStack job) and shows the backup storage inventory as stack outputs.",
        )
        stack.up()

        step(
            3,
            "an out-of-band change",
            "An operator detaches the backup storage directly through the ZStack API, behind Pulumi's back.",
        )
        with ZStackClient(
            simulator.url, account_name=ADMIN_ACCOUNT, account_password=ADMIN_PASSWORD
        ) as client:
            inventory = client.backup_storage.detach_from_zone(ZONE_1_UUID, IMAGESTORE_1_UUID)
        print(f"-> imagestore-1 is now attached to zones: {inventory.attached_zone_uuids or 'none'}")

        step(
            4,
            "pulumi preview --refresh",
            "Refresh reads the attachment back from ZStack and finds it gone: "
            "the preview shows the drift as the attachment to create again.",
        )
        stack.preview(refresh=True)

        step(
            5,
            "pulumi up --refresh",
            "Repairs the drift: refresh drops the vanished attachment from the stack and the update "
            "attaches the pair again.",
        )
        stack.up(refresh=True)

        step(6, "pulumi destroy", "Detaches the backup storage from the zone and removes the stack.")
        stack.destroy()
        with ZStackClient(
            simulator.url, account_name=ADMIN_ACCOUNT, account_password=ADMIN_PASSWORD
        ) as client:
            final = client.backup_storage.get(IMAGESTORE_1_UUID)
        print(f"-> imagestore-1 is attached to zones: {final.attached_zone_uuids or 'none'}")
    print("\nDemo finished: the simulator has stopped.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (auto.CommandError, subprocess.CalledProcessError) as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        sys.exit(1)
