"""docs/reliability.md describes the committed product and matrix, not an older one."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from scripts.engine import REPO
from tests.reliability import report


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True).stdout


def test_the_fault_matrix_page_was_generated_on_the_last_change_to_what_it_describes() -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout: the page's commit cannot be compared")
    if _git("rev-parse", "--is-shallow-repository").strip() == "true":
        pytest.skip("shallow clone: the history needed to compare the page's commit is missing")
    found = report.COMMIT_LINE.search((REPO / "docs" / "reliability.md").read_text())
    assert found, "docs/reliability.md records no commit: regenerate it with `make reliability`"
    last_change = _git("log", "-1", "--format=%H", "--", *report.DESCRIBED_PATHS).strip()
    assert found.group(1) == last_change, (
        f"docs/reliability.md ran on {found.group(1)[:12]}, but {last_change[:12]} changed "
        f"{' or '.join(report.DESCRIBED_PATHS)} since: commit, then regenerate it with `make reliability`"
    )
