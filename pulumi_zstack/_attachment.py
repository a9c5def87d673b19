"""The attachment core: one lifecycle for every "attach this to that" resource of ZStack.

A resource such as :class:`~pulumi_zstack.BackupStorageZoneAttachment` *declares* an
:class:`AttachmentSpec` (its two ends, the attach and detach calls, the inventory whose fields
become outputs, the membership list that says whether the pair is attached, the error codes
that leave the pair's state open) and inherits everything else from here:

- :class:`AttachmentProvider`: ``check`` and ``diff`` (no I/O, run in preview), ``configure``,
  ``create`` (attach; adopt with ``adopt=True`` or when the resource's own earlier job made the
  attachment, see :mod:`pulumi_zstack._ownership`; reconcile a call whose outcome is unknown),
  ``read`` (gone = empty id; ``.get()`` of a missing pair fails), ``update`` (inputs that touch
  nothing in ZStack), idempotent ``delete``, the hints and the redaction of secrets.
- :class:`AttachmentResource`: the program-side resource (inputs and outputs translated between
  snake_case and the wire's camelCase, ``.get()`` by id, one resource per pair in a program).

The id of a resource is ``<first end uuid>:<second end uuid>``, in the order of the API path.
Provider classes are pickled **by reference** into every resource's ``__provider`` input: their
module path and class name are part of every stack's state and must never change. They hold no
state in the pickle; ``configure()`` builds the per-process state (one shared ZStack client).
"""

from __future__ import annotations

import atexit
import functools
import importlib
import inspect
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NoReturn, Self

import pulumi
import pulumi.dynamic
from pulumi.output import Unknown

from pulumi_zstack._host import end_promptly_after_cleanup, forward_stray_interrupts
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
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

    from pulumi_zstack.client import ZStackClient
    from pulumi_zstack.client._query import QueryClient
    from pulumi_zstack.client.jobs import JobOutcome

_UUID = re.compile(r"[0-9a-f]{32}")
_TAG_FIELDS = ("systemTags", "userTags")
#: Set by the resource class, not by the user: see :mod:`pulumi_zstack._ownership`.
OWNER_PROPERTY = "ownerKey"
_OWNERSHIP_FIELDS = ("adopt", OWNER_PROPERTY)

Kind = Literal["attach", "detach"]
#: The client method of an attach or a detach: ``(first, second, *, job_uuids[, system_tags, user_tags])``.
Call = Callable[..., Any]


class AttachmentError(PulumiZStackError):
    """An operation on an attachment failed; the message is one actionable line."""


class DuplicateAttachmentError(AttachmentError, pulumi.RunError):
    """Two resources of one program declare the same pair (raised by the program: one line)."""


@dataclass(frozen=True)
class End:
    """One end of an attachment: ``wire`` is its input property (``zoneUuid``), ``python`` the
    keyword argument (``zone_uuid``), ``noun`` how messages name it, ``area`` its client area."""

    wire: str
    python: str
    noun: str
    area: Callable[[ZStackClient], QueryClient[Any]]


@dataclass(frozen=True)
class AttachmentSpec:
    """What an attachment resource declares; the lifecycle itself lives in this module.

    :ivar type_name: the resource's type name, e.g. ``BackupStorageZoneAttachment``.
    :ivar ends: the two ends in the order of the API path (and of the id).
    :ivar member: the index of the end whose inventory lists the other end (``membership``)
        and whose fields become the outputs.
    :ivar membership: the wire name of that list, e.g. ``attachedZoneUuids``.
    :ivar model: the client model name of the member's inventory, e.g. ``BackupStorageInventory``.
    :ivar omit: inventory fields that are not outputs (the member's own uuid is an input).
    :ivar operations: the API names of the attach and the detach call.
    :ivar attach, detach: the client's attach and detach method of the pair, e.g.
        ``lambda client: client.primary_storage.attach_to_cluster``; called with the two uuids in
        the id's order, ``job_uuids=`` and, with ``tags``, ``system_tags=`` and ``user_tags=``.
    :ivar refused: per call, the error codes whose cause may be the pair's state (the call was
        refused because the pair already is as wanted); such a failure is settled by a read-back.
    :ivar tags: whether the resource has ``system_tags`` / ``user_tags`` inputs.
    """

    type_name: str
    ends: tuple[End, End]
    member: int
    membership: str
    model: str
    operations: tuple[str, str]
    attach: Callable[[ZStackClient], Call]
    detach: Callable[[ZStackClient], Call]
    refused: Mapping[Kind, frozenset[str]]
    omit: frozenset[str] = frozenset({"uuid"})
    tags: bool = False

    # -- names ----------------------------------------------------------------------------------

    @property
    def pair_fields(self) -> tuple[str, str]:
        return self.ends[0].wire, self.ends[1].wire

    @property
    def input_fields(self) -> tuple[str, ...]:
        return (*self.pair_fields, *(_TAG_FIELDS if self.tags else ()), *_OWNERSHIP_FIELDS)

    @functools.cached_property
    def _fields(self) -> dict[str, FieldInfo]:
        """The member inventory model's fields by Python name (the model is imported on first use)."""
        model: type[BaseModel] = getattr(importlib.import_module("pulumi_zstack.client.models"), self.model)
        return dict(model.model_fields)

    @functools.cached_property
    def outputs(self) -> dict[str, str]:
        """Output properties, Python name -> wire name: the member inventory's fields."""
        wire = {name: info.alias or name for name, info in self._fields.items()}
        return {name: alias for name, alias in wire.items() if alias not in self.omit}

    @functools.cached_property
    def output_types(self) -> dict[str, Any]:
        """Python name -> the type of that output's value (the model's annotation)."""
        return {name: self._fields[name].annotation for name in self.outputs}

    @functools.cached_property
    def _membership_attribute(self) -> str:
        return next(name for name, info in self._fields.items() if (info.alias or name) == self.membership)

    @functools.cached_property
    def py_to_wire(self) -> dict[str, str]:
        inputs = {end.python: end.wire for end in self.ends}
        if self.tags:
            inputs.update(system_tags="systemTags", user_tags="userTags")
        return {**inputs, "adopt": "adopt", "owner_key": OWNER_PROPERTY, **self.outputs}

    @functools.cached_property
    def wire_to_py(self) -> dict[str, str]:
        return {wire: py for py, wire in self.py_to_wire.items()}

    def id_format(self) -> str:
        return ":".join(f"<{end.wire}>" for end in self.ends)

    def format_id(self, first: str, second: str) -> str:
        return f"{first}:{second}"

    def parse_id(self, id_: str) -> tuple[str, str]:
        """Split an id into the two end uuids, with a clear error."""
        first, sep, second = id_.partition(":")
        if not sep or not _UUID.fullmatch(first) or not _UUID.fullmatch(second):
            raise AttachmentError(
                f"invalid {self.type_name} id {id_!r}: expected '{self.id_format()}', two "
                "32-character lowercase hex UUIDs"
            )
        return first, second

    def pair(self, first: str, second: str) -> str:
        """``backup storage <uuid> and zone <uuid>``: the member first, as people say it."""
        uuids = (first, second)
        member, other = self.member, 1 - self.member
        return f"{self.ends[member].noun} {uuids[member]} and {self.ends[other].noun} {uuids[other]}"

    def attached(self, inventory: Any, first: str, second: str) -> bool:
        """Whether the member's ``inventory`` lists the other end."""
        return self.other_uuid(first, second) in (getattr(inventory, self._membership_attribute) or ())

    def member_uuid(self, first: str, second: str) -> str:
        return (first, second)[self.member]

    def other_uuid(self, first: str, second: str) -> str:
        """The uuid of the end that the member's ``membership`` list names."""
        return (first, second)[1 - self.member]

    def operation(self, kind: Kind) -> str:
        """The API name of the ``attach`` or ``detach`` call."""
        return self.operations[0 if kind == "attach" else 1]

    def member_area(self, client: ZStackClient) -> QueryClient[Any]:
        return self.ends[self.member].area(client)


# -- check: validation without I/O --------------------------------------------------------------


def _uuid_failure(end: End, value: object) -> str | None:
    if isinstance(value, Unknown):
        return None
    if value is None or value == "":
        return f"{end.wire} is required: the UUID of the {end.noun}"
    if not isinstance(value, str):
        return f"{end.wire} must be a string UUID, got {_shown(value)}"
    if _UUID.fullmatch(value):
        return None
    hint = ""
    if _UUID.fullmatch(value.replace("-", "").lower()):
        hint = f"; ZStack writes UUIDs lowercase without dashes: {value.replace('-', '').lower()!r}"
    return f"{end.wire} must be 32 lowercase hexadecimal characters, got {value!r}{hint}"


def _tags_failure(name: str, value: object) -> str | None:
    if value is None or isinstance(value, Unknown):
        return None
    if isinstance(value, str) or not isinstance(value, list):
        return f"{name} must be a list of strings, got {_shown(value)}"
    for index, tag in enumerate(value):
        if not isinstance(tag, (str, Unknown)):
            return f"{name}[{index}] must be a string, got {_shown(tag)}"
    return None


def _adopt_failure(value: object) -> str | None:
    if value is None or isinstance(value, (bool, Unknown)):
        return None
    return f"adopt must be true or false, got {_shown(value)}"


def _shown(value: object) -> str:
    """A wrong input value as the user wrote it: the engine turns every number into a float."""
    if isinstance(value, float) and value.is_integer():
        return f"the number {int(value)}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"the number {value!r}"
    return f"{type(value).__name__} {value!r}"


def _tag_changed(old: Any, new: Any) -> bool:
    if isinstance(new, Unknown) or (isinstance(new, list) and any(isinstance(t, Unknown) for t in new)):
        return True
    return sorted(old or []) != sorted(new or [])


def _notice(message: str) -> None:
    print(f"pulumi-zstack: {message}", file=sys.stderr, flush=True)


# -- the provider ---------------------------------------------------------------------------------


class AttachmentProvider(pulumi.dynamic.ResourceProvider):
    """The dynamic provider of an attachment resource; subclasses set :attr:`spec` and nothing else.

    Thread-safe: the Python provider host calls one instance from 4 worker threads. The state
    built by :meth:`configure` is the process's shared ZStack client (thread-safe).
    """

    spec: ClassVar[AttachmentSpec]

    # The pickle holds no secret (see __getstate__), so ``__provider`` stays readable and
    # byte-identical across runs and machines.
    serialize_as_secret_always = False

    # Set by configure(), in the provider process only (never pickled).
    _zstack: ZStackClient | None = None
    _secrets: tuple[str, ...] = ()

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
        spec = self.spec
        reasons = [
            *((end.wire, _uuid_failure(end, news.get(end.wire))) for end in spec.ends),
            *((f, _tags_failure(f, news.get(f))) for f in (_TAG_FIELDS if spec.tags else ())),
            ("adopt", _adopt_failure(news.get("adopt"))),
        ]
        failures = [pulumi.dynamic.CheckFailure(f, reason) for f, reason in reasons if reason is not None]
        return pulumi.dynamic.CheckResult(self._inputs_of(news), failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        replaces = [
            f for f in self.spec.pair_fields if isinstance(news.get(f), Unknown) or news.get(f) != olds.get(f)
        ]
        # Tags are an in-place update: ZStack ignores the tags of an attach (only create messages
        # reach its tag manager), so re-attaching for new tags would disrupt and change nothing.
        tag_changes = [f for f in _TAG_FIELDS if self.spec.tags and _tag_changed(olds.get(f), news.get(f))]
        provider_changed = olds.get("__provider") != news.get("__provider")
        return pulumi.dynamic.DiffResult(
            changes=bool(replaces or tag_changes or provider_changed),
            replaces=replaces,
            delete_before_replace=False,
        )

    # -- lifecycle --------------------------------------------------------------------------

    def configure(self, req: pulumi.dynamic.ConfigureRequest) -> None:
        configure_logging()
        forward_stray_interrupts()
        settings = Settings.resolve(lambda key: req.config.get(f"{NAMESPACE}:{key}"))
        self._secrets = tuple(s for s in (settings.account_password, settings.access_key_secret) if s)
        self._zstack = _process_client(settings)

    @property
    def client(self) -> ZStackClient:
        if self._zstack is None:
            raise AttachmentError("the provider was not configured (the engine did not call configure)")
        return self._zstack

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        # The attach goes first: nothing is read before it, so a create costs one job (and its
        # polls). ZStack itself refuses to attach a pair that is attached (the spec's ``refused``
        # codes) or an end that does not exist (SYS.1003), changing nothing; only such a refusal
        # is followed by reads, to tell whose attachment it is or which end is missing.
        spec = self.spec
        first, second = (props[f] for f in spec.pair_fields)
        try:
            tags = {"system_tags": props.get("systemTags"), "user_tags": props.get("userTags")}
            inventory = spec.attach(self.client)(
                first,
                second,
                job_uuids=self._own_job_uuids(props, "attach", first, second),
                **(tags if spec.tags else {}),
            )
        except NotFoundError as exc:
            self._missing_end(first, second, exc)
        except ZStackError as exc:
            settled = self._settle(exc, "attach", first, second, attached=True)
            assert settled is not None  # an attached pair has its member
            # Refused because the pair is attached: by someone else, or by an earlier job of ours.
            inventory = (
                self._take_over(props, first, second, settled) if self._refused(exc, "attach") else settled
            )
        return pulumi.dynamic.CreateResult(spec.format_id(first, second), self._outputs(props, inventory))

    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        spec = self.spec
        first, second = spec.parse_id(id_)
        member_end = spec.ends[spec.member]
        # A refresh passes the recorded outputs; a ``.get()`` only its (empty) inputs. A refresh
        # of a gone pair drops it from the stack; a ``.get()`` of one must fail, not read nothing.
        is_get = spec.pair_fields[0] not in props
        try:
            # The reads of a refresh share one scan of the member's collection (see get_shared).
            inventory = spec.member_area(self.client).get_shared(spec.member_uuid(first, second))
        except NotFoundError:
            if is_get:
                raise AttachmentError(
                    f"{spec.type_name}.get({id_!r}): {member_end.wire} "
                    f"{spec.member_uuid(first, second)} names no {member_end.noun} in ZStack"
                ) from None
            return pulumi.dynamic.ReadResult("", {})
        except ZStackError as exc:
            self._fail("read", first, second, exc)
        if not spec.attached(inventory, first, second):
            if is_get:
                raise AttachmentError(
                    f"{spec.type_name}.get({id_!r}): {spec.pair(first, second)} are not attached; "
                    f"attach them with a {spec.type_name} resource, or look up an attached pair"
                )
            return pulumi.dynamic.ReadResult("", {})
        inputs = {**self._inputs_of(props), spec.pair_fields[0]: first, spec.pair_fields[1]: second}
        return pulumi.dynamic.ReadResult(id_, self._outputs(inputs, inventory), inputs=inputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.UpdateResult:
        # Reached when only inputs that touch nothing in ZStack changed (tags, adopt) or
        # ``__provider`` (see diff): the outputs are kept, with the new inputs recorded.
        changing = (*_TAG_FIELDS, "adopt")
        outs = {k: v for k, v in olds.items() if k != "__provider" and k not in changing}
        outs.update({f: news[f] for f in changing if news.get(f) is not None and f in self.spec.input_fields})
        return pulumi.dynamic.UpdateResult(outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        spec = self.spec
        first, second = spec.parse_id(id_)
        try:
            spec.detach(self.client)(
                first, second, job_uuids=self._own_job_uuids(props, "detach", first, second)
            )
        except NotFoundError:
            _notice(f"{spec.pair(first, second)} were already detached: nothing to do")
        except ZStackError as exc:
            self._settle(exc, "detach", first, second, attached=False)

    # -- helpers ----------------------------------------------------------------------------

    def _inputs_of(self, props: Mapping[str, Any]) -> dict[str, Any]:
        return {key: props[key] for key in self.spec.input_fields if props.get(key) is not None}

    def _outputs(self, inputs: Mapping[str, Any], inventory: Any) -> dict[str, Any]:
        """State outputs: the resource's inputs plus the member's inventory (camelCase)."""
        wire = inventory.model_dump(by_alias=True, exclude_none=True)
        # ZStack builds the membership list from a hash set: its order means nothing and may
        # change between reads, so it is sorted to keep the output (and refresh) stable.
        wire[self.spec.membership] = sorted(wire.get(self.spec.membership) or [])
        outputs = self.spec.outputs.values()
        return {**self._inputs_of(inputs), **{key: wire[key] for key in outputs if key in wire}}

    def _missing_end(self, first: str, second: str, exc: NotFoundError) -> NoReturn:
        """After an attach refused with SYS.1003: fail naming the end that does not exist.

        The node's text names the field, but localised and in its own words; reading the two ends
        tells for sure (the member first: it is the one whose inventory the outputs show)."""
        spec = self.spec
        uuids = (first, second)
        for index in (spec.member, 1 - spec.member):
            end = spec.ends[index]
            try:
                end.area(self.client).get(uuids[index])
            except NotFoundError:
                raise AttachmentError(
                    f"cannot attach {spec.pair(first, second)}: {end.wire} {uuids[index]} names no "
                    f"{end.noun} in ZStack ({exc})"
                ) from None
            except ZStackError:
                break
        ends = " and ".join(end.wire for end in spec.ends)
        raise AttachmentError(f"cannot attach {spec.pair(first, second)}: {exc} (check {ends})") from None

    def _refused(self, exc: ZStackError, kind: Kind) -> bool:
        """Whether ZStack refused the call with a code that the pair's state may explain."""
        return isinstance(exc, ZStackAPIError) and exc.code in self.spec.refused[kind]

    def _settle(self, exc: ZStackError, kind: Kind, first: str, second: str, *, attached: bool) -> Any:
        """After a failed attach or detach, find out whether the pair is as wanted after all.

        Two kinds of failure leave that open: a refusal with one of the spec's ``refused`` codes
        (ZStack's code for attaching a pair that is attached and detaching one that is not, as
        for other refusals; its details are localised, so only a read-back tells), and a call
        whose outcome is unknown (the job timed out or expired, or the answer was lost). The
        pair is read once: if it is as wanted, the call counts as done and the member's
        inventory is returned (``None``: it no longer exists); otherwise ``exc`` is raised.
        """
        spec = self.spec
        refused = self._refused(exc, kind)
        if not refused and not _outcome_unknown(exc, spec.operation(kind)):
            self._fail(kind, first, second, exc)
        try:
            inventory = spec.member_area(self.client).get(spec.member_uuid(first, second))
        except NotFoundError:
            inventory = None
        except ZStackError:
            self._fail(kind, first, second, exc)
        is_attached = inventory is not None and spec.attached(inventory, first, second)
        if is_attached != attached:
            self._fail(kind, first, second, exc)
        # A refused attach of an attached pair: the caller decides whose attachment it is.
        pair = spec.pair(first, second)
        if refused and not attached:
            _notice(f"{pair} were already detached: nothing to do")
        elif not refused:
            done = "attached" if attached else "detached"
            _notice(f"{pair} are {done}, as wanted, although {_first_clause(exc)}")
        return inventory

    def _take_over(self, props: Mapping[str, Any], first: str, second: str, inventory: Any) -> Any:
        """The pair is attached, not by this create: adopt it if an earlier attach job of this
        resource made it (see :mod:`pulumi_zstack._ownership`) or ``adopt`` is set, else fail."""
        spec = self.spec
        pair = spec.pair(first, second)
        owner = props.get(OWNER_PROPERTY)
        if isinstance(owner, str):
            try:
                own = own_attach(
                    self._own_jobs(owner, "attach", first, second),
                    self._own_jobs(owner, "detach", first, second),
                )
            except ZStackError as exc:
                self._fail("attach", first, second, exc)
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
        raise AttachmentError(
            f"cannot attach {pair}: they are already attached, and not by this resource. To manage "
            "that attachment, set adopt=True (deleting the resource then detaches it; add "
            f"retain_on_delete to keep it); to use it without managing it, read it with "
            f'{spec.type_name}.get("<name>", "{spec.format_id(first, second)}"); or leave it out of '
            "the program"
        )

    def _own_jobs(self, owner: str, kind: Kind, first: str, second: str) -> list[JobOutcome]:
        """What the node still knows of this resource's recent attach (or detach) jobs, oldest first."""
        operation = self.spec.operation(kind)
        return [
            outcome
            for window in recent_job_uuids(owner, kind, first, second)
            for outcome in self.client.jobs.outcomes(window, operation=operation)
        ]

    @staticmethod
    def _own_job_uuids(props: Mapping[str, Any], kind: Kind, first: str, second: str) -> Iterator[str] | None:
        """The derived job uuids of this resource's next job on the pair (``None``: no owner key in
        a state written before owner keys existed, so random ones)."""
        owner = props.get(OWNER_PROPERTY)
        return job_uuids(owner, kind, first, second) if isinstance(owner, str) else None

    def _fail(self, action: str, first: str, second: str, exc: ZStackError) -> NoReturn:
        # The client's advice names its own parameters; the hint names the provider settings.
        reason = exc.reason if isinstance(exc, TransportError) else str(exc)
        message = f"cannot {action} {self.spec.pair(first, second)}: {reason}"
        hint = _hint(action, exc)
        if hint:
            message = f"{message}; {hint}"
        for secret in self._secrets:
            message = message.replace(secret, "***")
        raise AttachmentError(message) from None


@functools.cache
def _process_client(settings: Settings) -> ZStackClient:
    """The one ZStack client (and session) of this provider process for ``settings``, shared by
    every attachment provider. The engine stops the provider with SIGINT when it is done with it
    (and kills it 5 s later); the host exits on the KeyboardInterrupt, so atexit logs out, then
    ends the process."""
    client = settings.new_client()
    end_promptly_after_cleanup()
    atexit.register(client.close)
    return client


def _outcome_unknown(exc: ZStackError, operation: str) -> bool:
    """Whether the server may have done (or may still do) what the failed call ``operation`` asked.

    Always once the server accepted the call's job (``job_uuid`` set: polling it failed, the job
    may still finish), whatever broke the polling. Before that, not after a failed login (the call
    was never sent), a refused TLS handshake or an endpoint that is not ZStack (nothing there can
    have done it)."""
    if isinstance(exc, TransportError):
        if exc.job_uuid is not None:
            return True
        return exc.operation == operation and exc.kind not in ("tls", "not_zstack")
    return isinstance(exc, (JobTimeoutError, JobExpiredError))


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


# -- the resource ---------------------------------------------------------------------------------


class AttachmentResource(pulumi.dynamic.Resource):
    """Base of the attachment resources: subclasses set ``_attachment_provider`` and write their
    typed ``__init__`` (keyword arguments named after the ends) and ``get``, calling :meth:`_attach`.

    The outputs are the member inventory's fields, as snake_case attributes (e.g.
    ``available_capacity``), set by Pulumi once the resource is registered.
    """

    _attachment_provider: ClassVar[type[AttachmentProvider]]

    def _attach(
        self,
        resource_name: str,
        values: Mapping[str, Any],
        args: object | None,
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        """Register the resource from keyword ``values`` (Python names) or an ``args`` object."""
        spec = self._attachment_provider.spec
        _declare_properties(type(self), spec)
        if args is not None:
            if any(v is not None for v in values.values()):
                raise TypeError(f"pass either args or keyword arguments to {spec.type_name}, not both")
            values = {name: getattr(args, name) for name in values}
        opts = opts or pulumi.ResourceOptions()
        props: dict[str, Any] = dict.fromkeys(spec.py_to_wire)
        if opts.id is None:
            ends = [values[end.python] for end in spec.ends]
            for end, value in zip(spec.ends, ends, strict=True):
                if value is None:
                    raise TypeError(f"Missing required property '{end.python}'")
            _claim_in_program(spec, resource_name, ends[0], ends[1])
            props["owner_key"] = owner_key(pulumi.get_project(), pulumi.get_stack(), resource_name)
        props.update(values)
        super().__init__(self._attachment_provider(), resource_name, props, opts)

    @classmethod
    def get(
        cls, resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> Self:
        """Read an existing attachment by id (``<first uuid>:<second uuid>``, the order of the API
        path) without managing it; a pair that is not attached fails the run with one line."""
        options = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        # Subclasses' constructors take (resource_name, args=None, opts=None, *, <their inputs>).
        return cls(resource_name, opts=options)  # type: ignore[call-arg, arg-type]

    def translate_output_property(self, prop: str) -> str:
        return self._attachment_provider.spec.wire_to_py.get(prop, prop)

    def translate_input_property(self, prop: str) -> str:
        return self._attachment_provider.spec.py_to_wire.get(prop, prop)


def _declare_properties(cls: type[AttachmentResource], spec: AttachmentSpec) -> None:
    """Give ``cls`` its typed properties, once: Pulumi reads a resource class's own annotations
    (``total_capacity: Output[int]``) to turn the engine's numbers (floats) back into ints."""
    if "_pulumi_zstack_declared" in cls.__dict__:
        return
    types: dict[str, Any] = {end.python: str for end in spec.ends}
    if spec.tags:
        types.update(system_tags=list[str] | None, user_tags=list[str] | None)
    types.update(adopt=bool | None, **spec.output_types)
    annotations = dict(inspect.get_annotations(cls))
    for name, value_type in types.items():
        annotations[name] = pulumi.Output[value_type]  # type: ignore[valid-type]
        setattr(cls, name, pulumi.property(spec.py_to_wire[name]))
    cls.__annotations__ = annotations
    cls._pulumi_zstack_declared = True  # type: ignore[attr-defined]


def _claim_in_program(spec: AttachmentSpec, resource_name: str, first: object, second: object) -> None:
    """Refuse a second resource for a pair this program already declares (known uuids only)."""
    root = pulumi.runtime.get_root_resource()
    if root is None or not isinstance(first, str) or not isinstance(second, str):
        return
    # Kept on the run's root resource: an Automation API process runs many programs.
    declared: dict[tuple[str, str, str], str] = root.__dict__.setdefault("_pulumi_zstack_pairs", {})
    first_name = declared.setdefault((spec.type_name, first, second), resource_name)
    if first_name != resource_name:
        raise DuplicateAttachmentError(
            f"{spec.type_name} {resource_name!r} declares {spec.pair(first, second)}, which "
            f"{first_name!r} already declares: two resources for one pair would each detach it "
            f"when deleted; keep {first_name!r} and use its outputs"
        )
