"""Run Pulumi stacks offline with the locally built engine (shared by the demo, tests, benchmarks).

Everything stays on this machine: a file backend and ``PULUMI_HOME`` under a workspace folder,
passphrase secrets, no update checks and no plugin downloads. The engine comes from
``scripts/ensure-pulumi`` (a ``pulumi`` on PATH, or the pinned release built from Go modules).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from pulumi import automation as auto

REPO = Path(__file__).resolve().parents[1]
PASSPHRASE = "pulumi-zstack-local"  # protects only throwaway local test/demo stacks


@functools.cache
def engine_bin() -> Path:
    """The directory holding ``pulumi`` and ``pulumi-resource-pulumi-python`` (built on first use)."""
    out = subprocess.run(
        [str(REPO / "scripts" / "ensure-pulumi")], check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    return Path(out.strip().splitlines()[-1])


def language_host_available() -> bool:
    """True when ``pulumi-language-python`` exists, so ``pulumi up`` can run a program directory."""
    return (engine_bin() / "pulumi-language-python").exists()


def offline_env(root: Path) -> dict[str, str]:
    """Environment for the engine and its plugins: local, offline, our Python for the provider."""
    bin_dir = engine_bin()
    return {
        "PULUMI_HOME": str(root / "home"),
        "PULUMI_BACKEND_URL": f"file://{root / 'state'}",
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_PYTHON_CMD": sys.executable,
        "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def stack_config(
    endpoint: str,
    *,
    password: str | None = None,
    access_key: tuple[str, str] | None = None,
    account: str = "admin",
    extra: Mapping[str, str] | None = None,
) -> dict[str, auto.ConfigValue]:
    """``zstack:*`` stack config for an endpoint, with credentials stored as secrets."""
    config = {"zstack:endpoint": auto.ConfigValue(endpoint)}
    if password is not None:
        config["zstack:accountName"] = auto.ConfigValue(account)
        config["zstack:accountPassword"] = auto.ConfigValue(password, secret=True)
    if access_key is not None:
        config["zstack:accessKeyId"] = auto.ConfigValue(access_key[0])
        config["zstack:accessKeySecret"] = auto.ConfigValue(access_key[1], secret=True)
    for key, value in (extra or {}).items():
        config[key] = auto.ConfigValue(value)
    return config


def inline_stack(
    root: Path,
    *,
    stack_name: str,
    program: Callable[[], None],
    config: Mapping[str, auto.ConfigValue],
    project: str = "attach-backup-storage",
    env: Mapping[str, str] | None = None,
) -> auto.Stack:
    """Create (or select) a stack running ``program`` in process, with the local engine."""
    (root / "state").mkdir(parents=True, exist_ok=True)
    (root / "home").mkdir(parents=True, exist_ok=True)
    env_vars = {**offline_env(root), **(env or {})}
    stack = auto.create_or_select_stack(
        stack_name=stack_name,
        project_name=project,
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=str(root),
            pulumi_home=env_vars["PULUMI_HOME"],
            env_vars=env_vars,
            secrets_provider="passphrase",
            project_settings=auto.ProjectSettings(
                name=project, runtime="python", backend=auto.ProjectBackend(env_vars["PULUMI_BACKEND_URL"])
            ),
            pulumi_command=auto.PulumiCommand(root=str(engine_bin().parent), skip_version_check=True),
        ),
    )
    stack.set_all_config(dict(config))
    return stack


def load_example_program() -> Callable[[], None]:
    """The ``main`` function of ``examples/attach-backup-storage/program.py``."""
    import importlib.util

    path = REPO / "examples" / "attach-backup-storage" / "program.py"
    spec = importlib.util.spec_from_file_location("attach_backup_storage_program", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    main: Callable[[], None] = module.main
    return main
