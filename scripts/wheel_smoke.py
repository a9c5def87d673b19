"""CI check of the built wheel: run with the python of a fresh virtual environment holding only the
wheel and its runtime dependencies (``.ci/run`` sets it up).

Checks that the runtime needs nothing of the simulator (``aiohttp`` is not importable, the
``zstack-sim`` script says which extra to install) and that the example program
``examples/attach-backup-storage`` works from the installed package: ``up`` attaches the pair through
the provider plugin running with this interpreter, ``destroy`` detaches it. The simulator runs from
another interpreter that has the ``simulator`` extra (``--simulator-python``).

Run it isolated (``python -I``) so that the source tree cannot shadow the installed package.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def _load(name: str, path: Path) -> ModuleType:
    """A module of this repository loaded by path (the repository is not on ``sys.path`` here)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_runtime_only() -> None:
    import pulumi_zstack

    installed = Path(pulumi_zstack.__file__).resolve()
    if not installed.is_relative_to(Path(sys.prefix).resolve()):
        sys.exit(f"pulumi_zstack is imported from {installed}, not from the wheel in {sys.prefix}")
    if importlib.util.find_spec("aiohttp") is not None:
        sys.exit("aiohttp is importable: the wheel's runtime dependencies must not bring it")
    sim = subprocess.run(
        [str(Path(sys.executable).parent / "zstack-sim")], capture_output=True, text=True, check=False
    )
    if sim.returncode != 2 or "pulumi-zstack[simulator]" not in sim.stderr or sim.stderr.count("\n") != 1:
        sys.exit(f"zstack-sim without aiohttp: exit {sim.returncode}, stderr {sim.stderr!r}")
    print(f"ok: runtime-only install in {sys.prefix}; zstack-sim says: {sim.stderr.strip()}")


def _pairs(control: Any) -> set[tuple[str, str]]:
    return {(a["zoneUuid"], a["backupStorageUuid"]) for a in control.attachments()}


def run_example(simulator_python: str) -> None:
    from pulumi_zstack.simulator.process import SimulatorControl, SimulatorProcess
    from pulumi_zstack.simulator.seed import ADMIN_PASSWORD, IMAGESTORE_1_UUID, ZONE_1_UUID

    engine = _load("engine", REPO / "scripts" / "engine.py")
    with SimulatorProcess(python=simulator_python) as sim, tempfile.TemporaryDirectory() as root:
        stack = engine.inline_stack(
            Path(root),
            stack_name="wheel",
            program=engine.load_example_program(),
            config=engine.stack_config(sim.url, password=ADMIN_PASSWORD),
        )
        outputs = {key: value.value for key, value in stack.up().outputs.items()}
        if outputs["attachmentId"] != f"{ZONE_1_UUID}:{IMAGESTORE_1_UUID}":
            sys.exit(f"unexpected attachmentId {outputs['attachmentId']!r}")
        control = SimulatorControl(sim.url)
        if (ZONE_1_UUID, IMAGESTORE_1_UUID) not in _pairs(control):
            sys.exit(f"the simulator has no such attachment after up: {_pairs(control)}")
        stack.destroy()
        if (ZONE_1_UUID, IMAGESTORE_1_UUID) in _pairs(control):
            sys.exit("the attachment is still there after destroy")
        control.close()
    print("ok: the example program attached and detached through the installed wheel")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulator-python", required=True, help="an interpreter with the simulator extra")
    args = parser.parse_args()
    check_runtime_only()
    run_example(args.simulator_python)


if __name__ == "__main__":
    main()
