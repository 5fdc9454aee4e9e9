"""Shared input types: the base model of request bodies and the bounded scalar types every body,
query parameter and path parameter uses (docs/compatibility.md, "Input limits").

One mechanism per rule, so the answer never depends on the database:

- :class:`StrictInput` (request bodies and query models): unknown properties are refused, naming
  them (Cal.com's whitelist); every string anywhere in the input, free-form JSON included, is
  refused when it holds a NUL character (PostgreSQL cannot store one, SQLite can); JSON nested
  deeper than :data:`MAX_DEPTH` is refused; a string field holds at most :data:`MAX_TEXT`
  characters unless its type says otherwise.
- :class:`Whole`: an integer within bounds. JSON integers and integral floats (``30.0`` → 30, as
  SDKs generated from Cal.com's OpenAPI send every number) are accepted; ``30.5``, booleans and
  strings are refused. ``Whole(..., text=True)`` (query and path parameters) also reads decimal
  strings. :data:`Id` (1..2^31-1: Cal.com's ids are 32-bit), :data:`Int32` and the parameter
  variants :data:`IdParam`, :data:`CountParam` are built from it.
- :data:`Instant`: an ISO 8601 instant (no offset means UTC) whose local and UTC values fall in
  years :data:`MIN_YEAR`..:data:`MAX_YEAR`; parsed to an aware UTC datetime.
- :data:`NonNull`: an optional field that may be omitted but not sent as ``null``.
- :data:`ParamText`: a query or path string without NUL characters, at most :data:`MAX_PARAM`
  characters.
- :data:`JsonObject`: free-form JSON (metadata, booking responses) of at most
  :data:`MAX_JSON_BYTES` bytes once serialised.

Every violation is a pydantic validation error, which the app answers with 400
``BadRequestException`` naming the field.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from annotated_types import Ge, GroupedMetadata, Le
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    model_validator,
)
from pydantic.types import Strict

INT32_MAX = 2_147_483_647
"""Largest id and largest integer any field takes (the database's 32-bit INTEGER)."""
MIN_YEAR, MAX_YEAR = 1900, 9000
"""Years an instant may fall in, in UTC and in its own offset (far from datetime's limits, so
adding a meeting's length or buffers never overflows)."""
MAX_TEXT = 10_000
"""Characters of any string field without a tighter limit of its own."""
MAX_PARAM = 2_000
"""Characters of a query or path string."""
MAX_JSON_BYTES = 65_536
"""Bytes of a free-form JSON object (:data:`JsonObject`) once serialised."""
MAX_DEPTH = 32
"""Nesting levels of objects and lists in a request body."""
MAX_MEETING_MINUTES = 1440
"""Longest meeting, in minutes (Cal.com's API v1 rule: "max is a full day")."""
MAX_METADATA_KEYS = 50
MAX_METADATA_KEY_LENGTH = 40
MAX_METADATA_VALUE_LENGTH = 500

T = TypeVar("T")


# --- integers -------------------------------------------------------------------------------

_DECIMAL = re.compile(r"^\s*([+-]?\d{1,30})(?:\.0*)?\s*$")


def whole_number(value: Any) -> Any:
    """A JSON number that is an integer → int (``30.0`` → 30). Raises ValueError for booleans,
    strings, non-finite or fractional numbers; other values are passed on for pydantic to refuse.
    """
    if isinstance(value, bool):
        raise ValueError("must be an integer, not a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueError(f"must be an integer, got {value!r}")
        return int(value)
    if isinstance(value, str):
        raise ValueError("must be a number, not a string")
    return value


def whole_number_text(value: Any) -> Any:
    """As :func:`whole_number`, also reading decimal strings (``"30"``, ``"30.0"``) as query
    and path parameters arrive. Raises ValueError for other strings (``"true"``, ``"1e3"``)."""
    if isinstance(value, str):
        match = _DECIMAL.match(value)
        if match is None:
            raise ValueError(f"must be an integer, got '{value[:40]}'")
        return int(match.group(1))
    return whole_number(value)


@dataclass(frozen=True, slots=True)
class Whole(GroupedMetadata):
    """``Annotated[int, Whole(ge, le)]``: an integer in ``[ge, le]`` (see :func:`whole_number`;
    ``text=True`` for query and path parameters, see :func:`whole_number_text`)."""

    ge: int = 0
    le: int = INT32_MAX
    text: bool = False

    def __iter__(self) -> Iterator[object]:
        # Constraints first (they land on the int schema: "minimum"/"maximum" in OpenAPI), the
        # conversion last (it wraps them, so it runs before them).
        yield Strict()
        yield Ge(self.ge)
        yield Le(self.le)
        yield BeforeValidator(whole_number_text if self.text else whole_number)


Id = Annotated[int, Whole(1, INT32_MAX)]
"""An id in a body: 1..2147483647."""
Int32 = Annotated[int, Whole(0, INT32_MAX)]
"""A count or amount in a body: 0..2147483647."""
PositiveInt32 = Annotated[int, Whole(1, INT32_MAX)]
"""A positive count in a body: 1..2147483647."""
IdParam = Annotated[int, Whole(1, INT32_MAX, text=True)]
"""An id in a path or query parameter: 1..2147483647."""
CountParam = Annotated[int, Whole(0, INT32_MAX, text=True)]
"""A count (``skip``) in a query parameter: 0..2147483647."""
MeetingMinutes = Annotated[int, Whole(1, MAX_MEETING_MINUTES)]
"""A meeting length in a body: 1..1440 minutes."""
MeetingMinutesParam = Annotated[int, Whole(1, MAX_MEETING_MINUTES, text=True)]
"""A meeting length in a query parameter: 1..1440 minutes."""


# --- strings --------------------------------------------------------------------------------


def no_nul(value: str) -> str:
    """``value`` unchanged; ValueError when it holds a NUL character."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (\\u0000)")
    return value


ParamText = Annotated[str, AfterValidator(no_nul), StringConstraints(max_length=MAX_PARAM)]
"""A string query or path parameter: no NUL character, at most 2000 characters."""


def _path(parts: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in parts) or "body"


def check_tree(value: Any) -> None:
    """Walk decoded JSON iteratively; ValueError naming the first string (or key) holding a NUL
    character, or the first place nested deeper than :data:`MAX_DEPTH`."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        item, where = stack.pop()
        if len(where) > MAX_DEPTH:
            raise ValueError(f"{_path(where)} is nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, str):
            if "\x00" in item:
                raise ValueError(f"{_path(where)} must not contain the NUL character (\\u0000)")
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and "\x00" in key:
                    raise ValueError(
                        f"a property name in {_path(where)} must not contain the NUL character"
                    )
                stack.append((child, (*where, str(key))))
        elif isinstance(item, list | tuple):
            stack.extend((child, (*where, i)) for i, child in enumerate(item))


class StrictInput(BaseModel):
    """A request body (or query model): unknown properties are an error naming them, as Cal.com's
    whitelist; NUL characters anywhere and nesting deeper than :data:`MAX_DEPTH` are refused;
    string fields hold at most :data:`MAX_TEXT` characters unless their type says otherwise."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_max_length=MAX_TEXT)

    @model_validator(mode="before")
    @classmethod
    def _clean_tree(cls, data: Any) -> Any:
        check_tree(data)
        return data


class StrictQuery(StrictInput):
    """Query parameters read into a model: as :class:`StrictInput`, strings of at most
    :data:`MAX_PARAM` characters."""

    model_config = ConfigDict(str_max_length=MAX_PARAM)


# --- null -----------------------------------------------------------------------------------


def refuse_null(value: Any) -> Any:
    """``value`` unchanged; ValueError for ``None`` (an explicit JSON ``null``)."""
    if value is None:
        raise ValueError("must not be null")
    return value


NonNull = Annotated[T | None, BeforeValidator(refuse_null)]
"""``NonNull[X] = None``: the field may be omitted (None), but ``null`` is refused (400)."""


# --- instants -------------------------------------------------------------------------------


def instant_in_range(parsed: datetime) -> datetime:
    """``parsed`` (aware or naive = UTC) as an aware UTC datetime. Raises ValueError when its
    local or UTC value falls outside years :data:`MIN_YEAR`..:data:`MAX_YEAR`."""
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    problem = f"must be between the years {MIN_YEAR} and {MAX_YEAR}"
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError(problem)
    try:
        utc = parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError(problem) from None
    if not MIN_YEAR <= utc.year <= MAX_YEAR:
        raise ValueError(problem)
    return utc


def parse_instant(value: Any) -> datetime:
    """An ISO 8601 string (or datetime) → aware UTC datetime; no offset means UTC.

    Raises ValueError for anything else (numbers, malformed strings) and for instants outside
    years :data:`MIN_YEAR`..:data:`MAX_YEAR` (see :func:`instant_in_range`).
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip() and len(value) <= 64:
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"'{value}' is not an ISO 8601 date-time such as 2050-09-05T09:00:00Z"
            ) from None
    else:
        raise ValueError("must be an ISO 8601 date-time string such as 2050-09-05T09:00:00Z")
    return instant_in_range(parsed)


Instant = Annotated[datetime, BeforeValidator(parse_instant)]
"""An ISO 8601 instant in years 1900..9000 (local and UTC), parsed to aware UTC."""


# --- free-form JSON -------------------------------------------------------------------------


def bounded_json(value: dict[str, Any]) -> dict[str, Any]:
    """``value`` unchanged; ValueError when its JSON text exceeds :data:`MAX_JSON_BYTES`."""
    size = len(json.dumps(value, ensure_ascii=False, default=str).encode())
    if size > MAX_JSON_BYTES:
        raise ValueError(f"must be at most {MAX_JSON_BYTES} bytes as JSON (got {size})")
    return value


JsonObject = Annotated[dict[str, Any], AfterValidator(bounded_json)]
"""A free-form JSON object of at most 64 KiB (booking responses, routing)."""


def check_metadata(value: dict[str, Any]) -> dict[str, Any]:
    """Cal.com's metadata rules: at most 50 keys, keys up to 40 characters, string values up to
    500 characters. Raises ValueError naming the first violation."""
    if len(value) > MAX_METADATA_KEYS:
        raise ValueError(f"metadata can have at most {MAX_METADATA_KEYS} keys")
    for key, item in value.items():
        if len(key) > MAX_METADATA_KEY_LENGTH:
            raise ValueError(
                f"metadata key '{key}' is longer than {MAX_METADATA_KEY_LENGTH} characters"
            )
        if isinstance(item, str) and len(item) > MAX_METADATA_VALUE_LENGTH:
            raise ValueError(
                f"metadata value of '{key}' is longer than {MAX_METADATA_VALUE_LENGTH} characters"
            )
    return value


Metadata = Annotated[dict[str, Any], AfterValidator(check_metadata), AfterValidator(bounded_json)]
"""Metadata (bookings, users): Cal.com's rules (:func:`check_metadata`), at most 64 KiB."""
