"""Seed data of the simulator and small helpers shared by the client tests."""

from __future__ import annotations

from typing import Any

from pulumi_zstack.client import RetryPolicy
from pulumi_zstack.simulator.process import SimulatorControl

ZONE_1 = "6b1a3c7e2d4f4a1b9c8d7e6f5a4b3c21"
ZONE_2 = "8e2f4b6a1c3d4e5f8a7b6c5d4e3f2a10"
IMAGESTORE_1 = "3f9d2c1b0a8e4f7d9c6b5a4e3d2c1b0a"  # unattached
SFTP_1 = "c4d5e6f708194a2b8c3d4e5f60718293"  # attached to zone-2
ACCESS_KEY_ID = "simAccessKeyId0000001"
ACCESS_KEY_SECRET = "simAccessKeySecret000000000000000000000"
FAST_RETRIES = RetryPolicy(base_delay=0.01, max_delay=0.05)


def api_requests(
    control: SimulatorControl, method: str | None = None, path: str = ""
) -> list[dict[str, Any]]:
    """Logged ZStack API requests, optionally only one method and paths containing ``path``."""
    return [
        entry
        for entry in control.requests()
        if (method is None or entry["method"] == method) and path in entry["path"]
    ]


def logins(control: SimulatorControl) -> int:
    return len(api_requests(control, "PUT", "/accounts/login"))
