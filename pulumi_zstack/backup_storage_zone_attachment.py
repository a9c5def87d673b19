"""``BackupStorageZoneAttachment``: attach a ZStack backup storage to a zone.

In this module, in this order: the property schema, the ``Args`` class, the dynamic
``ResourceProvider`` (check, diff, configure, create, read, update, delete) and the
``Resource`` class programs instantiate.

Engine and state property names mirror the ZStack inventory (camelCase); Python attributes are
snake_case. The resource id is ``<zoneUuid>:<backupStorageUuid>``.

The provider class is pickled **by reference** into every resource's ``__provider`` input, so
its name and module are part of every stack's state: renaming or moving it breaks refresh and
destroy of existing stacks. Its instances carry no settings, client or credentials; those are
created in ``configure()`` inside the provider process from the stack config.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import re
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NoReturn, overload

import pulumi
import pulumi.dynamic
from pulumi.output import Unknown

from pulumi_zstack._ownership import job_uuids, own_attach, owner_key, recent_job_uuids
from pulumi_zstack.client import (
    AuthenticationError,
    JobExpiredError,
    JobTimeoutError,
    NotFoundError,
    TransportError,
    ZStackAPIError,
    ZStackError,
)
from pulumi_zstack.config import NAMESPACE, Settings, configure_logging, describe_setting
from pulumi_zstack.errors import PulumiZStackError

if TYPE_CHECKING:
    from pulumi_zstack.client import BackupStorageInventory, ZStackClient
    from pulumi_zstack.client.jobs import JobOutcome

#: Python attribute name -> engine/state property name. Inputs first, then the inventory outputs.
INPUT_PROPERTIES: dict[str, str] = {
    "zone_uuid": "zoneUuid",
    "backup_storage_uuid": "backupStorageUuid",
    "system_tags": "systemTags",
    "user_tags": "userTags",
    "adopt": "adopt",
}
#: Set by the resource class, not by the user: see :mod:`pulumi_zstack._ownership`.
OWNER_PROPERTY = "ownerKey"
OUTPUT_PROPERTIES: dict[str, str] = {
    "name": "name",
    "url": "url",
    "description": "description",
    "total_capacity": "totalCapacity",
    "available_capacity": "availableCapacity",
    "type": "type",
    "state": "state",
    "status": "status",
    "create_date": "createDate",
    "last_op_date": "lastOpDate",
    "attached_zone_uuids": "attachedZoneUuids",
}
_PY_TO_WIRE = {**INPUT_PROPERTIES, **OUTPUT_PROPERTIES, "owner_key": OWNER_PROPERTY}
_WIRE_TO_PY = {wire: py for py, wire in _PY_TO_WIRE.items()}

_UUID = re.compile(r"[0-9a-f]{32}")
_TAG_FIELDS = ("systemTags", "userTags")
_PAIR_FIELDS = ("zoneUuid", "backupStorageUuid")
_OWNERSHIP_FIELDS = ("adopt", OWNER_PROPERTY)


@dataclass(frozen=True)
class BackupStorageZoneAttachmentArgs:
    """Arguments of :class:`BackupStorageZoneAttachment`."""

    zone_uuid: pulumi.Input[str]
    """UUID of the zone (32 lowercase hex characters). Changing it replaces the attachment."""
    backup_storage_uuid: pulumi.Input[str]
    """UUID of the backup storage to attach. Changing it replaces the attachment."""
    system_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """System tags sent with the attach call. ZStack neither validates nor stores them (only
    create calls' tags are); a change is an in-place update that touches nothing in ZStack."""
    user_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """User tags sent with the attach call; like ``system_tags``, a change is an in-place update."""
    adopt: pulumi.Input[bool] | None = None
    """Manage the pair even if it is already attached (by someone else): the create takes it
    over without a write, and destroying the resource then detaches it (``retain_on_delete``
    keeps it). Without it, creating a resource for an attached pair fails."""


class AttachmentError(PulumiZStackError):
    """An operation on a backup storage / zone pair failed; the message is one actionable line."""


class DuplicateAttachmentError(AttachmentError, pulumi.RunError):
    """Two resources of one program declare the same pair (raised by the program: one line)."""


def format_id(zone_uuid: str, backup_storage_uuid: str) -> str:
    """The resource id of a pair: ``<zoneUuid>:<backupStorageUuid>``."""
    return f"{zone_uuid}:{backup_storage_uuid}"


def parse_id(id_: str) -> tuple[str, str]:
    """Split a resource id into ``(zone_uuid, backup_storage_uuid)``, with a clear error."""
    zone_uuid, sep, bs_uuid = id_.partition(":")
    if not sep or not _UUID.fullmatch(zone_uuid) or not _UUID.fullmatch(bs_uuid):
        raise AttachmentError(
            f"invalid BackupStorageZoneAttachment id {id_!r}: expected "
            "'<zoneUuid>:<backupStorageUuid>', two 32-character lowercase hex UUIDs"
        )
    return zone_uuid, bs_uuid


def _pair(zone_uuid: str, bs_uuid: str) -> str:
    return f"backup storage {bs_uuid} and zone {zone_uuid}"


def _uuid_failure(field: str, value: object) -> str | None:
    if isinstance(value, Unknown):
        return None
    if value is None or value == "":
        return f"{field} is required: the UUID of the {_noun(field)}"
    if not isinstance(value, str):
        return f"{field} must be a string UUID, got {_shown(value)}"
    if _UUID.fullmatch(value):
        return None
    hint = ""
    if _UUID.fullmatch(value.replace("-", "").lower()):
        hint = f"; ZStack writes UUIDs lowercase without dashes: {value.replace('-', '').lower()!r}"
    return f"{field} must be 32 lowercase hexadecimal characters, got {value!r}{hint}"


def _noun(field: str) -> str:
    return "zone" if field == "zoneUuid" else "backup storage"


def _tags_failure(field: str, value: object) -> str | None:
    if value is None or isinstance(value, Unknown):
        return None
    if isinstance(value, str) or not isinstance(value, list):
        return f"{field} must be a list of strings, got {_shown(value)}"
    for index, tag in enumerate(value):
        if not isinstance(tag, (str, Unknown)):
            return f"{field}[{index}] must be a string, got {_shown(tag)}"
    return None


def _shown(value: object) -> str:
    """A wrong input value as the user wrote it: the engine turns every number into a float."""
    if isinstance(value, float) and value.is_integer():
        return f"the number {int(value)}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"the number {value!r}"
    return f"{type(value).__name__} {value!r}"


def _tags(value: Sequence[str] | None) -> list[str]:
    """Tags as an order-insensitive, comparable value; absent means none."""
    return sorted(value or [])


def _adopt_failure(value: object) -> str | None:
    if value is None or isinstance(value, (bool, Unknown)):
        return None
    return f"adopt must be true or false, got {_shown(value)}"


def _inputs_of(props: Mapping[str, Any]) -> dict[str, Any]:
    fields = (*_PAIR_FIELDS, *_TAG_FIELDS, *_OWNERSHIP_FIELDS)
    return {key: props[key] for key in fields if props.get(key) is not None}


def _outputs(inputs: Mapping[str, Any], inventory: BackupStorageInventory) -> dict[str, Any]:
    """State outputs: the user's inputs plus the backup storage inventory (camelCase)."""
    wire = inventory.model_dump(by_alias=True, exclude_none=True)
    # ZStack builds this list from a hash set: its order means nothing and may change between
    # reads, so it is sorted to keep the output (and refresh) stable.
    wire["attachedZoneUuids"] = sorted(wire.get("attachedZoneUuids") or [])
    return {**_inputs_of(inputs), **{key: wire[key] for key in OUTPUT_PROPERTIES.values() if key in wire}}


def _notice(message: str) -> None:
    print(f"pulumi-zstack: {message}", file=sys.stderr, flush=True)


class BackupStorageZoneAttachmentProvider(pulumi.dynamic.ResourceProvider):
    """Dynamic provider for :class:`BackupStorageZoneAttachment`.

    Thread-safe: the Python provider host calls one instance from 4 worker threads; the only
    state is built in :meth:`configure`: the ZStack client, itself thread-safe, and the set of
    zones seen to exist (only ever added to).
    """

    # The pickle holds no secret (see the module docstring), so ``__provider`` stays readable
    # and byte-identical across runs and machines.
    serialize_as_secret_always = False

    # Set by configure(), in the provider process only (never pickled, see __getstate__).
    _zstack: ZStackClient | None = None
    _secrets: tuple[str, ...] = ()
    # Zones this process has seen exist: checked once, not before every attach (a zone deleted
    # meanwhile still fails the attach job, with SYS.1003).
    _known_zones: set[str]

    def __getstate__(self) -> None:
        # Pickle the class and nothing else: never a configured client (and the credentials in
        # it), and no state dict either: pulumi's serialize_provider wraps pickle's dict writer
        # once more on every call and never unwraps it, so in a program with ~1000 resources
        # pickling even an empty dict exceeds the recursion limit.
        return None

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Pickles written before carry an empty state dict.
        self.__dict__.update(state)

    # -- check / diff: no API calls, run during preview ------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.CheckResult:
        failures = [
            pulumi.dynamic.CheckFailure(field, reason)
            for field, reason in (
                *((f, _uuid_failure(f, news.get(f))) for f in _PAIR_FIELDS),
                *((f, _tags_failure(f, news.get(f))) for f in _TAG_FIELDS),
                ("adopt", _adopt_failure(news.get("adopt"))),
            )
            if reason is not None
        ]
        return pulumi.dynamic.CheckResult(_inputs_of(news), failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        replaces = [f for f in _PAIR_FIELDS if isinstance(news.get(f), Unknown) or news.get(f) != olds.get(f)]
        # Tags are an in-place update: ZStack ignores the tags of an attach (only create messages
        # reach its tag manager), so re-attaching for new tags would disrupt and change nothing.
        tag_changes = [f for f in _TAG_FIELDS if _tag_changed(olds.get(f), news.get(f))]
        provider_changed = olds.get("__provider") != news.get("__provider")
        return pulumi.dynamic.DiffResult(
            changes=bool(replaces or tag_changes or provider_changed),
            replaces=replaces,
            delete_before_replace=False,
        )

    # -- lifecycle --------------------------------------------------------------------------

    def configure(self, req: pulumi.dynamic.ConfigureRequest) -> None:
        configure_logging()
        settings = Settings.resolve(lambda key: req.config.get(f"{NAMESPACE}:{key}"))
        self._secrets = tuple(s for s in (settings.account_password, settings.access_key_secret) if s)
        self._zstack = settings.new_client()
        self._known_zones = set()
        # The engine stops the provider with SIGINT when it is done with it (and kills it 5 s
        # later); the host exits on the KeyboardInterrupt, so atexit ends the ZStack session.
        atexit.register(self._zstack.close)

    @property
    def client(self) -> ZStackClient:
        if self._zstack is None:
            raise AttachmentError("the provider was not configured (the engine did not call configure)")
        _load_models_in_background()
        return self._zstack

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        zone_uuid, bs_uuid = props["zoneUuid"], props["backupStorageUuid"]
        try:
            inventory = self.client.backup_storage.get(bs_uuid)
        except NotFoundError:
            raise AttachmentError(
                f"cannot attach: backupStorageUuid {bs_uuid} names no backup storage in ZStack"
            ) from None
        except ZStackError as exc:
            self._fail("attach", zone_uuid, bs_uuid, exc)
        if zone_uuid in (inventory.attached_zone_uuids or []):
            inventory = self._take_over(props, zone_uuid, bs_uuid, inventory)
            return pulumi.dynamic.CreateResult(format_id(zone_uuid, bs_uuid), _outputs(props, inventory))
        try:
            if zone_uuid not in self._known_zones:
                self.client.zones.get(zone_uuid)
                self._known_zones.add(zone_uuid)
        except NotFoundError as exc:
            # Checked before the attach call, so a wrong zone never reaches a write.
            raise AttachmentError(
                f"cannot attach {_pair(zone_uuid, bs_uuid)}: zoneUuid {zone_uuid} names no zone in ZStack "
                f"({exc})"
            ) from None
        except ZStackError as exc:
            self._fail("attach", zone_uuid, bs_uuid, exc)
        try:
            inventory = self.client.backup_storage.attach_to_zone(
                zone_uuid,
                bs_uuid,
                system_tags=props.get("systemTags"),
                user_tags=props.get("userTags"),
                job_uuids=_own_job_uuids(props, "attach", zone_uuid, bs_uuid),
            )
        except NotFoundError as exc:
            raise AttachmentError(
                f"cannot attach {_pair(zone_uuid, bs_uuid)}: {exc} (check zoneUuid and backupStorageUuid)"
            ) from None
        except ZStackError as exc:
            settled = self._settle(exc, "attach", zone_uuid, bs_uuid, attached=True)
            assert settled is not None  # an attached pair has a backup storage
            # Refused because the pair is attached: by someone else, or by an earlier job of ours.
            inventory = (
                self._take_over(props, zone_uuid, bs_uuid, settled) if _state_refused(exc) else settled
            )
        return pulumi.dynamic.CreateResult(format_id(zone_uuid, bs_uuid), _outputs(props, inventory))

    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        zone_uuid, bs_uuid = parse_id(id_)
        # A refresh passes the recorded outputs; a ``.get()`` only its (empty) inputs. A refresh
        # of a gone pair drops it from the stack; a ``.get()`` of one must fail, not read nothing.
        is_get = "zoneUuid" not in props
        try:
            # The reads of a refresh share one scan of all backup storages (see get_shared).
            inventory = self.client.backup_storage.get_shared(bs_uuid)
        except NotFoundError:
            if is_get:
                raise AttachmentError(
                    f"BackupStorageZoneAttachment.get({id_!r}): backupStorageUuid {bs_uuid} names no "
                    "backup storage in ZStack"
                ) from None
            return pulumi.dynamic.ReadResult("", {})
        except ZStackError as exc:
            self._fail("read", zone_uuid, bs_uuid, exc)
        if zone_uuid not in (inventory.attached_zone_uuids or []):
            if is_get:
                raise AttachmentError(
                    f"BackupStorageZoneAttachment.get({id_!r}): {_pair(zone_uuid, bs_uuid)} are not "
                    "attached; attach them with a BackupStorageZoneAttachment resource, or look up an "
                    "attached pair"
                )
            return pulumi.dynamic.ReadResult("", {})
        inputs = {**_inputs_of(props), "zoneUuid": zone_uuid, "backupStorageUuid": bs_uuid}
        return pulumi.dynamic.ReadResult(id_, _outputs(inputs, inventory), inputs=inputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.UpdateResult:
        # Reached when only the tags or ``__provider`` changed (see diff): nothing to do in ZStack;
        # the outputs are kept, with the new tags recorded.
        outs = {k: v for k, v in olds.items() if k != "__provider" and k not in _TAG_FIELDS}
        outs.update({f: news[f] for f in _TAG_FIELDS if news.get(f) is not None})
        return pulumi.dynamic.UpdateResult(outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        zone_uuid, bs_uuid = parse_id(id_)
        try:
            self.client.backup_storage.detach_from_zone(
                zone_uuid, bs_uuid, job_uuids=_own_job_uuids(props, "detach", zone_uuid, bs_uuid)
            )
        except NotFoundError:
            _notice(f"{_pair(zone_uuid, bs_uuid)} were already detached: nothing to do")
        except ZStackError as exc:
            self._settle(exc, "detach", zone_uuid, bs_uuid, attached=False)

    def _settle(
        self, exc: ZStackError, action: str, zone_uuid: str, bs_uuid: str, *, attached: bool
    ) -> BackupStorageInventory | None:
        """After a failed attach or detach, find out whether the pair is as wanted after all.

        Two kinds of failure leave that open: a refusal with ``SYS.1006`` ("an operation failed",
        the node's code for attaching a pair that is attached and detaching one that is not, as
        for other refusals; its details are localised, so only a read-back tells), and a call
        whose outcome is unknown (the job timed out or expired, or the answer was lost). The
        pair is read once: if it is as wanted, the call counts as done and the backup storage
        inventory is returned (``None``: it no longer exists); otherwise ``exc`` is raised.
        """
        refused = _state_refused(exc)
        if not refused and not _outcome_unknown(exc):
            self._fail(action, zone_uuid, bs_uuid, exc)
        try:
            inventory: BackupStorageInventory | None = self.client.backup_storage.get(bs_uuid)
        except NotFoundError:
            inventory = None
        except ZStackError:
            self._fail(action, zone_uuid, bs_uuid, exc)
        is_attached = inventory is not None and zone_uuid in (inventory.attached_zone_uuids or [])
        if is_attached != attached:
            self._fail(action, zone_uuid, bs_uuid, exc)
        # A refused attach of an attached pair: the caller decides whose attachment it is.
        pair = _pair(zone_uuid, bs_uuid)
        if refused and not attached:
            _notice(f"{pair} were already detached: nothing to do")
        elif not refused:
            done = "attached" if attached else "detached"
            _notice(f"{pair} are {done}, as wanted, although {_first_clause(exc)}")
        return inventory

    def _take_over(
        self, props: Mapping[str, Any], zone_uuid: str, bs_uuid: str, inventory: BackupStorageInventory
    ) -> BackupStorageInventory:
        """The pair is attached, not by this create: adopt it if an earlier attach job of this
        resource made it (see :mod:`pulumi_zstack._ownership`) or ``adopt`` is set, else fail."""
        pair = _pair(zone_uuid, bs_uuid)
        owner = props.get(OWNER_PROPERTY)
        if isinstance(owner, str):
            try:
                own = own_attach(
                    self._own_jobs(owner, "attach", zone_uuid, bs_uuid),
                    self._own_jobs(owner, "detach", zone_uuid, bs_uuid),
                )
            except ZStackError as exc:
                self._fail("attach", zone_uuid, bs_uuid, exc)
            if own is not None:
                _notice(
                    f"adopted the existing attachment of {pair}: this resource's own attach job "
                    f"{own.job_uuid} made it (its outcome had not reached the stack)"
                )
                return inventory
        if props.get("adopt") is True:
            _notice(
                f"adopted the existing attachment of {pair} (adopt=True): deleting this resource "
                "detaches it, unless it has retain_on_delete"
            )
            return inventory
        id_ = format_id(zone_uuid, bs_uuid)
        raise AttachmentError(
            f"cannot attach {pair}: they are already attached, and not by this resource. To manage "
            "that attachment, set adopt=True (deleting the resource then detaches it; add "
            f"retain_on_delete to keep it); to use it without managing it, read it with "
            f'BackupStorageZoneAttachment.get("<name>", "{id_}"); or leave it out of the program'
        )

    def _own_jobs(
        self, owner: str, kind: Literal["attach", "detach"], zone_uuid: str, bs_uuid: str
    ) -> list[JobOutcome]:
        """What the node still knows of this resource's recent attach (or detach) jobs, oldest first."""
        operation = "AttachBackupStorageToZone" if kind == "attach" else "DetachBackupStorageFromZone"
        return [
            outcome
            for window in recent_job_uuids(owner, kind, zone_uuid, bs_uuid)
            for outcome in self.client.jobs.outcomes(window, operation=operation)
        ]

    def _fail(self, action: str, zone_uuid: str, bs_uuid: str, exc: ZStackError) -> NoReturn:
        # The client's advice names its own parameters; the hint below names the provider settings.
        reason = exc.reason if isinstance(exc, TransportError) else str(exc)
        message = f"cannot {action} {_pair(zone_uuid, bs_uuid)}: {reason}"
        hint = _hint(action, exc)
        if hint:
            message = f"{message}; {hint}"
        for secret in self._secrets:
            message = message.replace(secret, "***")
        raise AttachmentError(message) from None


@functools.cache
def _load_models_in_background() -> None:
    """Import the client's inventory models (pydantic: ~0.1 s) in a thread, once per process.

    Started by the first create, read or delete (never in a preview, which makes no API call),
    so that a delete's detach job is submitted at once and the import runs while the job does.
    """
    threading.Thread(
        target=importlib.import_module,
        args=("pulumi_zstack.client.models",),
        name="pulumi-zstack-load-models",
        daemon=True,
    ).start()


def _own_job_uuids(
    props: Mapping[str, Any], kind: Literal["attach", "detach"], zone_uuid: str, bs_uuid: str
) -> Iterator[str] | None:
    """The derived job uuids of this resource's next job on the pair (``None``: no owner key in
    a state written before owner keys existed, so random ones)."""
    owner = props.get(OWNER_PROPERTY)
    return job_uuids(owner, kind, zone_uuid, bs_uuid) if isinstance(owner, str) else None


def _tag_changed(old: Any, new: Any) -> bool:
    if isinstance(new, Unknown) or (isinstance(new, list) and any(isinstance(t, Unknown) for t in new)):
        return True
    return _tags(old) != _tags(new)


def _state_refused(exc: ZStackError) -> bool:
    """Whether ZStack refused the call with ``SYS.1006``, which the pair's state may explain."""
    return isinstance(exc, ZStackAPIError) and exc.code == "SYS.1006"


def _outcome_unknown(exc: ZStackError) -> bool:
    """Whether the server may have done (or may still do) what the failed call asked."""
    return isinstance(exc, (JobTimeoutError, JobExpiredError, TransportError))


def _first_clause(exc: ZStackError) -> str:
    return str(exc).split(";")[0].split(" (")[0]


def _settings_hint(action: str, *keys: str) -> str:
    hint = f"check {' and '.join(describe_setting(key) for key in keys)}"
    if action == "read":
        # A plain refresh runs the provider with the settings recorded by the last update.
        hint += (
            "; after changing them, run `pulumi refresh --run-program` (a plain `pulumi refresh` "
            "uses the settings recorded by the last `pulumi up`)"
        )
    return hint


def _hint(action: str, exc: ZStackError) -> str:
    """What a person should do about ``exc``, naming the provider setting involved."""
    if getattr(exc, "code", None) == "ID.1006":
        return (
            "the account has as many open sessions as the management node allows "
            "(identity.session.maxConcurrent, default 500); log out unused sessions or wait for them "
            "to expire (identity.session.timeout)"
        )
    if isinstance(exc, (JobTimeoutError, JobExpiredError)) or (
        isinstance(exc, TransportError) and exc.job_uuid is not None
    ):
        if action == "attach":
            return "run `pulumi refresh`, then `pulumi up`: it adopts the attachment if the job completed"
        return "run `pulumi refresh` once the job is done (it drops a pair found detached), then retry"
    if isinstance(exc, AuthenticationError):
        if exc.access_key_failure in ("clock_skew", "date_format", "date_missing"):
            return (
                "the management node refused the request's Date header, which must be its own wall time "
                f"within 15 minutes: check {describe_setting('timeZone')} (the node's time zone, e.g. "
                "Asia/Shanghai; default: this machine's) and that this machine's clock is right (NTP)"
            )
        if exc.access_key_failure is not None:
            return f"check {describe_setting('accessKeyId')} and {describe_setting('accessKeySecret')}"
        if exc.operation == "LogInByAccount":
            return _settings_hint(action, "accountName", "accountPassword")
        if exc.status in (401, 403):
            return _settings_hint(action, "accessKeyId", "accessKeySecret")
        return ""
    if isinstance(exc, TransportError):
        if exc.kind == "tls":
            return (
                f"set {describe_setting('caBundle')} to the PEM file of the CA that signed the server "
                f"certificate (or {describe_setting('insecure')} to true to skip verification)"
            )
        if exc.kind == "read_timeout":
            return (
                f"the server answered slower than {describe_setting('requestTimeout')} allows; "
                "raise it if the server is just slow"
            )
        if exc.kind == "not_zstack":
            return f"check {describe_setting('endpoint')} and {describe_setting('contextPath')}"
        return (
            f"check that the ZStack management node is up and that {describe_setting('endpoint')} "
            "names it, then run the command again"
        )
    return ""


def _claim_in_program(resource_name: str, zone_uuid: object, bs_uuid: object) -> None:
    """Refuse a second resource for a pair this program already declares (known uuids only)."""
    root = pulumi.runtime.get_root_resource()
    if root is None or not isinstance(zone_uuid, str) or not isinstance(bs_uuid, str):
        return
    # Kept on the run's root resource: an Automation API process runs many programs.
    declared: dict[tuple[str, str], str] = root.__dict__.setdefault("_pulumi_zstack_pairs", {})
    first = declared.setdefault((zone_uuid, bs_uuid), resource_name)
    if first != resource_name:
        raise DuplicateAttachmentError(
            f"BackupStorageZoneAttachment {resource_name!r} declares {_pair(zone_uuid, bs_uuid)}, "
            f"which {first!r} already declares: two resources for one pair would each detach it "
            f"when deleted; keep {first!r} and use its outputs"
        )


class BackupStorageZoneAttachment(
    pulumi.dynamic.Resource, module="zstack", name="BackupStorageZoneAttachment"
):
    """Attaches a ZStack backup storage to a zone (``AttachBackupStorageToZone``).

    Creating it attaches the pair (or adopts an existing attachment), deleting it detaches the
    pair, and refresh reads it back: when the pair is no longer attached, refresh removes it
    from the stack and the next ``pulumi up`` attaches it again. The backup storage inventory
    is exposed as outputs. The id is ``<zoneUuid>:<backupStorageUuid>``.
    """

    zone_uuid: pulumi.Output[str] = pulumi.property("zoneUuid")
    """UUID of the zone."""
    backup_storage_uuid: pulumi.Output[str] = pulumi.property("backupStorageUuid")
    """UUID of the attached backup storage."""
    system_tags: pulumi.Output[list[str] | None] = pulumi.property("systemTags")
    """System tags as last given (sent with the attach call, where ZStack ignores them)."""
    user_tags: pulumi.Output[list[str] | None] = pulumi.property("userTags")
    """User tags as last given (sent with the attach call, where ZStack ignores them)."""
    name: pulumi.Output[str] = pulumi.property("name")
    """Name of the backup storage."""
    url: pulumi.Output[str] = pulumi.property("url")
    """Storage URL of the backup storage (e.g. ``/zstack_bs``)."""
    description: pulumi.Output[str | None] = pulumi.property("description")
    """Description of the backup storage."""
    total_capacity: pulumi.Output[int] = pulumi.property("totalCapacity")
    """Total capacity of the backup storage in bytes."""
    available_capacity: pulumi.Output[int] = pulumi.property("availableCapacity")
    """Available capacity of the backup storage in bytes."""
    type: pulumi.Output[str] = pulumi.property("type")
    """Backup storage type, e.g. ``ImageStoreBackupStorage``."""
    state: pulumi.Output[str] = pulumi.property("state")
    """Administrative state: ``Enabled`` or ``Disabled``."""
    status: pulumi.Output[str] = pulumi.property("status")
    """Connection status: ``Connecting``, ``Connected`` or ``Disconnected``."""
    create_date: pulumi.Output[str] = pulumi.property("createDate")
    """Creation date of the backup storage, as ZStack formats it."""
    last_op_date: pulumi.Output[str] = pulumi.property("lastOpDate")
    """Date of the last operation on the backup storage, as ZStack formats it."""
    attached_zone_uuids: pulumi.Output[list[str]] = pulumi.property("attachedZoneUuids")
    """Every zone the backup storage is attached to, this one included."""
    adopt: pulumi.Output[bool | None] = pulumi.property("adopt")
    """Whether the create was allowed to take over an existing attachment."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: BackupStorageZoneAttachmentArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        args: None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        zone_uuid: pulumi.Input[str] | None = None,
        backup_storage_uuid: pulumi.Input[str] | None = None,
        system_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        user_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(
        self,
        resource_name: str,
        args: BackupStorageZoneAttachmentArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        zone_uuid: pulumi.Input[str] | None = None,
        backup_storage_uuid: pulumi.Input[str] | None = None,
        system_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        user_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None:
        """
        :param resource_name: The unique name of the resource in the stack.
        :param args: The arguments, as an alternative to the keyword arguments.
        :param opts: Options for the resource.
        :param zone_uuid: UUID of the zone; changing it replaces the attachment.
        :param backup_storage_uuid: UUID of the backup storage; changing it replaces the attachment.
        :param system_tags: System tags for the attach call (ZStack ignores them); a change is an
            in-place update. Use ``replace_on_changes=["systemTags"]`` to re-attach instead.
        :param user_tags: User tags for the attach call (ignored likewise); a change is an update.
        :param adopt: Take over the pair if it is already attached (else the create fails);
            destroying the resource then detaches it.
        """
        if args is not None:
            if any(v is not None for v in (zone_uuid, backup_storage_uuid, system_tags, user_tags, adopt)):
                raise TypeError(
                    "pass either args or keyword arguments to BackupStorageZoneAttachment, not both"
                )
            zone_uuid, backup_storage_uuid = args.zone_uuid, args.backup_storage_uuid
            system_tags, user_tags, adopt = args.system_tags, args.user_tags, args.adopt
        opts = opts or pulumi.ResourceOptions()
        props: dict[str, Any] = dict.fromkeys(_PY_TO_WIRE)
        if opts.id is None:
            for py_name, value in (("zone_uuid", zone_uuid), ("backup_storage_uuid", backup_storage_uuid)):
                if value is None:
                    raise TypeError(f"Missing required property '{py_name}'")
            _claim_in_program(resource_name, zone_uuid, backup_storage_uuid)
            props["owner_key"] = owner_key(pulumi.get_project(), pulumi.get_stack(), resource_name)
        props.update(
            zone_uuid=zone_uuid,
            backup_storage_uuid=backup_storage_uuid,
            system_tags=system_tags,
            user_tags=user_tags,
            adopt=adopt,
        )
        super().__init__(BackupStorageZoneAttachmentProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> BackupStorageZoneAttachment:
        """Read an existing attachment by id (``<zoneUuid>:<backupStorageUuid>``) without managing it."""
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return BackupStorageZoneAttachment(resource_name, opts=opts)

    def translate_output_property(self, prop: str) -> str:
        return _WIRE_TO_PY.get(prop, prop)

    def translate_input_property(self, prop: str) -> str:
        return _PY_TO_WIRE.get(prop, prop)
