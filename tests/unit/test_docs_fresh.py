"""docs/reliability.md describes the committed product and matrix, not an older one."""

from __future__ import annotations

import shutil

import pytest

from scripts.engine import REPO
from tests.reliability import report


def test_the_fault_matrix_page_was_generated_on_the_committed_product_and_matrix() -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout: the page's source cannot be compared")
    found = report.DESCRIBED_LINE.search((REPO / "docs" / "reliability.md").read_text())
    assert found, "docs/reliability.md records no commit: regenerate it with `make reliability`"
    # Tree ids need no history, so this holds in shallow CI clones too.
    assert found.group(2) == report.described_trees(REPO), (
        f"docs/reliability.md ran on {found.group(1)[:12]}; {' or '.join(report.DESCRIBED_PATHS)} "
        "changed in a commit since: regenerate it with `make reliability` and commit it"
    )
