"""The query language of ``GET /zstack/v1/<resources>``: parsing and evaluation.

Parsing follows the management node's ``RestServer.handleQueryApi``: operators are
searched in a fixed order (a longer operator before the ones it contains), a
condition without an operator or without a name/value is a 400 plain-text error,
as is a non-integer ``limit``/``start``. Semantic problems (unknown field, value of
the wrong type) are ``SYS.1007`` business errors, as the query service reports them.

Evaluation follows SQL: a null field matches no comparison (``!=`` included), only
``is null``; a list field such as ``attachedZoneUuids`` matches a positive operator
when any element does, a negative one (``!=``, ``!?=``, ``!~=``) when no element
matches the positive form, and ``is null`` when it is empty. String comparisons
are case-sensitive.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pulumi_zstack.simulator.inventory import InventoryType, Kind, java_class_of
from pulumi_zstack.simulator.wire import RestError, invalid_argument, parse_date

# In the management node's order: an operator must come before any operator it contains.
OPERATORS: tuple[str, ...] = (
    "!=",
    ">=",
    "<=",
    "!?=",
    "!~=",
    "~=",
    "?=",
    "=",
    ">",
    "<",
    "is null",
    "not null",
)
_NEGATIONS = {"!=": "=", "!?=": "?=", "!~=": "~="}
_UNARY = ("is null", "not null")
DEFAULT_LIMIT = 1000


@dataclass(frozen=True)
class Condition:
    name: str
    op: str
    value: str | None


@dataclass
class Query:
    """A parsed query string."""

    conditions: list[Condition] = field(default_factory=list)
    limit: int = DEFAULT_LIMIT
    start: int = 0
    count: bool = False
    reply_with_count: bool = False
    sort_by: str | None = None
    sort_desc: bool = False
    fields: list[str] | None = None


def parse_condition(text: str) -> Condition:
    """Parse one ``q=`` value such as ``name~=zone%`` or ``description is null``."""
    op = next((candidate for candidate in OPERATORS if candidate in text), None)
    if op is None:
        raise RestError(
            400,
            f"Invalid query parameter. The '{text}' in the parameter[q] doesn't contain any query operator."
            f" Valid query operators are [{', '.join(OPERATORS)}]",
        )
    name, _, value = text.partition(op)
    name = name.strip()
    if op in _UNARY:
        if not name:
            raise RestError(400, f"Invalid query parameter. The '{text}' in parameter[q] has no field name")
        return Condition(name, op, None)
    if not name or not value:
        raise RestError(
            400,
            f"Invalid query parameter. The '{text}' in parameter[q] is not a key-value pair split by {op}",
        )
    return Condition(name, op, value)


def _parse_int(params: dict[str, list[str]], name: str, default: int) -> int:
    values = params.get(name)
    if not values:
        return default
    try:
        return int(values[0].strip())
    except ValueError:
        raise RestError(400, f"Invalid query parameter. '{name}' must be an integer") from None


def _parse_bool(params: dict[str, list[str]], name: str) -> bool:
    values = params.get(name)
    return values is not None and len(values) > 0 and values[0].strip().lower() == "true"


def parse_query(params: dict[str, list[str]]) -> Query:
    """Parse the query string (``name -> all its values``); unknown parameters are ignored."""
    query = Query(
        conditions=[parse_condition(q) for q in params.get("q", [])],
        limit=_parse_int(params, "limit", DEFAULT_LIMIT),
        start=_parse_int(params, "start", 0),
        count=_parse_bool(params, "count"),
        reply_with_count=_parse_bool(params, "replyWithCount"),
    )
    if params.get("sort"):
        sort = params["sort"][0].strip()
        query.sort_desc = sort.startswith("-")
        query.sort_by = sort.lstrip("+-")
    if params.get("fields"):
        query.fields = [f.strip() for f in params["fields"][0].split(",") if f.strip()]
        if not query.fields:
            raise RestError(400, "Invalid query parameter. 'fields' contains zero field")
    return query


def _like(pattern: str) -> re.Pattern[str]:
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile(regex, re.DOTALL)


def _typed(kind: Kind, name: str, text: str) -> Any:
    """Convert a condition value to the field's type."""
    error = invalid_argument(
        f"Invalid query condition: the value[{text}] of field[{name}] is not a {kind.value}"
    )
    try:
        if kind is Kind.INT:
            return int(text)
        if kind is Kind.DATE:
            return parse_date(text)
    except ValueError:
        raise error from None
    if kind is Kind.BOOL:
        if text.lower() not in ("true", "false"):
            raise error
        return text.lower() == "true"
    return text


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    ">": operator.gt,
    "<": operator.lt,
    ">=": operator.ge,
    "<=": operator.le,
}


def _element_test(kind: Kind, name: str, op: str, value: str) -> Callable[[Any], bool]:
    """The test one (non-null) value, or one element of a list field, must pass for a positive ``op``."""
    element_kind = Kind.STRING if kind is Kind.STRING_LIST else kind
    if op == "~=":
        if element_kind is not Kind.STRING:
            raise invalid_argument(f"Invalid query condition: like on the non-string field[{name}]")
        regex = _like(value)
        return lambda v: regex.fullmatch(v) is not None
    if op == "?=":
        members = {_typed(element_kind, name, v) for v in value.split(",")}
        return lambda v: v in members
    wanted = _typed(element_kind, name, value)
    compare = _COMPARISONS[op]
    return lambda v: compare(v, wanted)


def _predicate(inventory_type: InventoryType, cond: Condition) -> Callable[[dict[str, Any]], bool]:
    kind = inventory_type.fields.get(cond.name)
    if kind is None:
        raise invalid_argument(
            f"Invalid query condition: the inventory[{inventory_type.name}] doesn't have field[{cond.name}]"
        )
    if cond.op in _UNARY:
        want_null = cond.op == "is null"
        return lambda r: (r.get(cond.name) in (None, [])) == want_null

    assert cond.value is not None
    element_ok = _element_test(kind, cond.name, _NEGATIONS.get(cond.op, cond.op), cond.value)
    negated = cond.op in _NEGATIONS
    if kind is Kind.STRING_LIST:
        return lambda r: any(element_ok(v) for v in r.get(cond.name) or []) != negated

    def scalar(r: dict[str, Any]) -> bool:
        value = r.get(cond.name)
        if value is None:
            return False
        return bool(element_ok(value)) != negated

    return scalar


def run_query(inventory_type: InventoryType, records: list[dict[str, Any]], query: Query) -> dict[str, Any]:
    """Evaluate ``query`` over ``records`` and build the reply body."""
    predicates = [_predicate(inventory_type, c) for c in query.conditions]
    matched = [r for r in records if all(p(r) for p in predicates)]
    if query.count:
        return {"total": len(matched)}

    if query.sort_by is not None:
        kind = inventory_type.fields.get(query.sort_by)
        if kind is None or kind is Kind.STRING_LIST:
            raise invalid_argument(
                f"Invalid sort field[{query.sort_by}] of the inventory[{inventory_type.name}]"
            )
        key = query.sort_by
        # SQL order: nulls first ascending, last descending.
        matched.sort(key=lambda r: (r.get(key) is not None, r.get(key)), reverse=query.sort_desc)
    if query.fields is not None:
        unknown = [f for f in query.fields if f not in inventory_type.fields]
        if unknown:
            raise invalid_argument(
                f"Invalid query fields: the inventory[{inventory_type.name}] doesn't have field{unknown}"
            )

    page = matched[query.start : query.start + query.limit] if query.limit >= 0 else matched[query.start :]
    reply: dict[str, Any] = {
        "inventories": [inventory_type.render(r, query.fields) for r in page],
        "schema": {f"inventories[{i}]": java_class_of(inventory_type, r) for i, r in enumerate(page)},
    }
    if query.reply_with_count:
        reply["total"] = len(matched)
    return reply


def get_by_uuid(inventory_type: InventoryType, record: dict[str, Any] | None) -> dict[str, Any]:
    """The reply of ``GET /<resources>/{uuid}``: the one inventory, or an empty list."""
    page = [] if record is None else [record]
    return {
        "inventories": [inventory_type.render(r) for r in page],
        "schema": {f"inventories[{i}]": java_class_of(inventory_type, r) for i, r in enumerate(page)},
    }
