"""A program may declare thousands of attachments: pickling the provider must not get deeper."""

from __future__ import annotations

import subprocess
import sys

# In a fresh interpreter: serialize_provider patches the pickler of the process it runs in.
_PROGRAM = """
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_zstack import BackupStorageZoneAttachmentProvider
first = serialize_provider(BackupStorageZoneAttachmentProvider())
for _ in range(2500):
    assert serialize_provider(BackupStorageZoneAttachmentProvider()) == first
print("ok")
"""


def test_the_provider_pickles_the_same_for_the_2500th_resource() -> None:
    # pulumi's serialize_provider wraps pickle's dict writer once per call; a provider whose
    # pickle holds a dict hit the recursion limit at about the 985th resource of a program.
    out = subprocess.run([sys.executable, "-c", _PROGRAM], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"
