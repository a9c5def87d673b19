"""Which attachments are a resource's own work: owner keys and the job uuids derived from them.

A create that attaches a pair the resource did not attach fails unless ``adopt=True``: taking
over an attachment made by someone else would let ``pulumi destroy`` detach it. But an attach
of the resource's own whose outcome never reached the state (the job outlived
``zstack:jobTimeout``, the answer was lost, the provider or the engine was killed) must be
recognised on the next ``up`` as its own. The management node can tell, if asked the right
question:

- Every async call carries a client-chosen ``X-Job-UUID``, and ``GET /v1/api-jobs/{uuid}``
  answers its result without authentication. The node keeps a finished job's record
  ``rest.completedApi.expiredPeriod`` = 10800 s after it was submitted, deleting expired ones
  every ``rest.expiredApi.scanInterval`` = 3600 s (``conf/globalConfig/rest.xml``,
  ``rest/.../MysqlAsyncRestStore.java``); while the record exists a new call with the same uuid
  is refused with 400 ``Duplicate job uuid[...]`` (``rest/.../RestServer.java``).
- So the attach and detach jobs of a resource use uuids *derived* from its owner key (project,
  stack and resource name, computed by the program: the provider never learns the URN) and the
  pair: ``sha256(owner, zone, backup storage, hour, n)``, n = 0, 1, ... within the current hour
  (a uuid still held by a finished job of an earlier create or delete is skipped, a still
  running one is awaited instead of submitting a second job).
- A create that finds the pair attached asks the node for this resource's jobs of the current
  hour and the two before (about 3 GETs): if the last of its own jobs that changed the pair
  attached it, the attachment is its own and is adopted without ``adopt=True``.

The window: an own attach is recognised when the next ``up`` runs within 2 hours of it (up to 3,
depending on where in the hour it ran); later, or with more than :data:`PER_HOUR` creates and
deletes of one resource in an hour, it is treated as someone else's and the create fails with
the ways on (``adopt=True`` among them). A different stack, program or resource name never
shares an owner key, so two owners of one pair never take each other's attachment.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pulumi_zstack.client.jobs import JobOutcome

#: Seconds per window of derived job uuids.
WINDOW = 3600.0
#: Windows asked about: the current one and the two before (the node keeps results 3 to 4 hours).
KEPT_WINDOWS = 3
#: Derived uuids per window and pair; beyond them a job gets a random uuid (not recognisable).
PER_HOUR = 32


def owner_key(project: str, stack: str, resource_name: str) -> str:
    """The owner key of a resource: 32 hex characters naming project, stack and resource."""
    return _digest("owner", project, stack, resource_name)


def job_uuids(owner: str, zone_uuid: str, bs_uuid: str, *, now: float | None = None) -> Iterator[str]:
    """The job uuids this resource's next attach or detach of the pair tries, in order."""
    return _window(owner, zone_uuid, bs_uuid, _hour(now))


def recent_job_uuids(
    owner: str, zone_uuid: str, bs_uuid: str, *, now: float | None = None
) -> list[list[str]]:
    """Per window, oldest first, the uuids this resource's recent jobs on the pair may have had."""
    hour = _hour(now)
    return [list(_window(owner, zone_uuid, bs_uuid, h)) for h in range(hour - KEPT_WINDOWS + 1, hour + 1)]


def attached_by(outcomes: Sequence[JobOutcome], zone_uuid: str) -> JobOutcome | None:
    """The job of these (a resource's own, in order) that left the pair attached, if the last one
    that changed the pair attached it; ``None`` if none did or a later one detached it."""
    owning: JobOutcome | None = None
    for outcome in outcomes:
        if outcome.status != "succeeded" or outcome.result is None:
            continue
        inventory = outcome.result.get("inventory")
        zones = inventory.get("attachedZoneUuids") if isinstance(inventory, dict) else None
        if not isinstance(zones, list):
            continue
        owning = outcome if zone_uuid in zones else None
    return owning


def _window(owner: str, zone_uuid: str, bs_uuid: str, hour: int) -> Iterator[str]:
    for n in range(PER_HOUR):
        yield _digest("job", owner, zone_uuid, bs_uuid, str(hour), str(n))


def _hour(now: float | None) -> int:
    return int((time.time() if now is None else now) // WINDOW)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(("pulumi-zstack", *parts)).encode()).hexdigest()[:32]
