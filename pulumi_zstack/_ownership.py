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
  stack and resource name, computed by the program: the provider never learns the URN), the kind
  of job and the pair: ``sha256(owner, attach|detach, zone, backup storage, hour, n)``, n = 0, 1,
  ... within the current hour (a uuid still held by a finished job of an earlier create or
  delete is skipped, a still running one is awaited instead of submitting a second job).
  Attaches and detaches have separate sequences, so a delete right after its create does not
  first meet the create's uuid.
- A create that finds the pair attached asks the node for this resource's jobs of the current
  hour and the two before (about 6 GETs). A pair's successful attaches and detaches alternate,
  so if this resource attached it more often than it detached it in that time, the current
  attachment is its own and is adopted without ``adopt=True``.

The window: an own attach is recognised when the next ``up`` runs within 2 hours of it (up to 3,
depending on where in the hour it ran); later, or with more than :data:`PER_HOUR` creates and
deletes of one resource in an hour, it is treated as someone else's and the create fails with
the ways on (``adopt=True`` among them). A different stack, program or resource name never
shares an owner key, so two owners of one pair never take each other's attachment. One case
is misjudged: if this resource attached the pair, someone else detached it and someone else
attached it again within the window, the attachment is taken for the resource's own (detaches by
others leave no trace in its jobs).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Literal

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


Kind = Literal["attach", "detach"]


def job_uuids(
    owner: str, kind: Kind, zone_uuid: str, bs_uuid: str, *, now: float | None = None
) -> Iterator[str]:
    """The job uuids this resource's next attach (or detach) of the pair tries, in order."""
    return _window(owner, kind, zone_uuid, bs_uuid, _hour(now))


def recent_job_uuids(
    owner: str, kind: Kind, zone_uuid: str, bs_uuid: str, *, now: float | None = None
) -> list[list[str]]:
    """Per window, oldest first, the uuids this resource's recent attaches (or detaches) may have had."""
    hour = _hour(now)
    return [
        list(_window(owner, kind, zone_uuid, bs_uuid, h)) for h in range(hour - KEPT_WINDOWS + 1, hour + 1)
    ]


def own_attach(attaches: Sequence[JobOutcome], detaches: Sequence[JobOutcome]) -> JobOutcome | None:
    """The last of a resource's own attach jobs if it attached the pair more often than it detached
    it (the pair is then attached by its doing), else ``None``."""
    attached = [o for o in attaches if o.status == "succeeded"]
    detached = [o for o in detaches if o.status == "succeeded"]
    return attached[-1] if len(attached) > len(detached) else None


def _window(owner: str, kind: Kind, zone_uuid: str, bs_uuid: str, hour: int) -> Iterator[str]:
    for n in range(PER_HOUR):
        yield _digest("job", owner, kind, zone_uuid, bs_uuid, str(hour), str(n))


def _hour(now: float | None) -> int:
    return int((time.time() if now is None else now) // WINDOW)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(("pulumi-zstack", *parts)).encode()).hexdigest()[:32]
