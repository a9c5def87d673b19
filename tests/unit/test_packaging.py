"""Packaging: a program needs only pulumi, requests and pydantic; the simulator's aiohttp is an extra.

``.ci/run`` checks the same on the built wheel in a fresh virtual environment; these tests keep the
source tree honest between CI runs.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib.metadata import requires

from packaging.requirements import Requirement


def _run_without_aiohttp(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter where ``import aiohttp`` fails as if it were not installed."""
    prelude = "import sys\nsys.modules['aiohttp'] = None\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_runtime_requirements_are_pulumi_requests_and_pydantic() -> None:
    declared = [Requirement(line) for line in requires("pulumi-zstack") or []]
    runtime = sorted(r.name for r in declared if r.marker is None)
    assert runtime == ["pulumi", "pydantic", "requests"]
    simulator_extra = [r.name for r in declared if r.marker and r.marker.evaluate({"extra": "simulator"})]
    assert "aiohttp" in simulator_extra


def test_every_runtime_module_imports_without_aiohttp() -> None:
    result = _run_without_aiohttp(
        """
        import pkgutil, pulumi_zstack
        names = [m.name for m in pkgutil.walk_packages(pulumi_zstack.__path__, "pulumi_zstack.")
                 if not m.name.startswith("pulumi_zstack.simulator.")]
        names += ["pulumi_zstack.simulator.process", "pulumi_zstack.simulator.seed"]
        for name in names:
            __import__(name)
        print(len(names))
        """
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 10  # the package, its client and the simulator helpers


def test_simulator_without_aiohttp_says_which_extra_to_install() -> None:
    result = _run_without_aiohttp(
        """
        from pulumi_zstack.simulator.__main__ import main
        sys.exit(main(["--port", "0"]))
        """
    )
    assert result.returncode == 2
    one_line = 'error: the ZStack simulator needs aiohttp: pip install "pulumi-zstack[simulator]"\n'
    assert result.stderr == one_line
    assert result.stdout == ""
