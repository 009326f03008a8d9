"""Field types of the API's input schemas, each with a domain range.

JSON bodies are strict (a number is not a string, "yes" is not a boolean); query strings are parsed. Every
string rejects NUL and unpaired surrogates (which no database stores), every integer and date is bounded, so
any out-of-range input is a 400 and never reaches the database."""
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Annotated

from django.utils import timezone
from ninja import Path
from ninja.params.models import Body, BodyModel
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from core import bounds

MAX_ID = 2**31 - 1                      # ids in paths, queries and bodies
MIN_DATE, MAX_DATE = bounds.MIN_DATE, bounds.MAX_DATE
MAX_TEXT = 200_000                      # comments, reasons, notes
MAX_BODY = 1_000_000                    # an item's HTML body
MAX_INT = 2**31 - 1
HASH_PATTERN = r"^[0-9a-f]{64}$"


def clean_text(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "不能包含空字符")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("invalid_character", "包含无效字符") from None
    return value


def _date_string(value):
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise PydanticCustomError("date_format", "必须是日期，如 2024-03-01")
    return value


def _moment_string(value):
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) > 40:
        raise PydanticCustomError("datetime_format", "必须是日期时间，如 2026-01-05T09:00:00+08:00")
    return value.strip()


def _moment_in_range(value: datetime) -> datetime:
    """A time without an offset is Beijing time (TIME_ZONE); the result lies between 1949 and 2100."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    low = datetime.combine(MIN_DATE, time.min, tzinfo=UTC)
    high = datetime.combine(MAX_DATE, time.max, tzinfo=UTC)
    if not low <= value <= high:
        raise PydanticCustomError("datetime_range", "须在 1949 年至 2100 年之间")
    return value


def bounded_text(max_length, min_length=0):
    """A JSON string of at most `max_length` characters, without NUL or unpaired surrogates."""
    return Annotated[StrictStr, StringConstraints(max_length=max_length, min_length=min_length),
                     AfterValidator(clean_text)]


Text = bounded_text(MAX_TEXT)
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[StrictInt, Field(ge=0, le=MAX_INT)]
Flag = StrictBool
Day = Annotated[date, BeforeValidator(_date_string), Field(ge=MIN_DATE, le=MAX_DATE)]
Moment = Annotated[datetime, BeforeValidator(_moment_string), AfterValidator(_moment_in_range)]
Hash = Annotated[StrictStr, StringConstraints(pattern=HASH_PATTERN)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
PathYear = Annotated[int, Path(ge=MIN_DATE.year, le=MAX_DATE.year)]


def decimal(max_digits: int, places: int, largest: Decimal | None = None):
    """A non-negative amount up to `largest` (default: what the digits hold): a JSON number or a decimal
    string such as "120.50"."""
    whole = max_digits - places
    largest = min(largest, Decimal(10) ** whole - Decimal(1).scaleb(-places)) if largest is not None else \
        Decimal(10) ** whole - Decimal(1).scaleb(-places)
    schema = {"anyOf": [{"type": "number", "minimum": 0, "maximum": float(largest)},
                        {"type": "string", "pattern": rf"^[0-9]{{1,{whole}}}(\.[0-9]{{1,{places}}})?$",
                         "maxLength": max_digits + 1}]}
    return Annotated[Decimal, Field(ge=0, le=largest, max_digits=max_digits, decimal_places=places,
                                    allow_inf_nan=False), WithJsonSchema(schema)]


class _BodyOrEmptyModel(BodyModel):
    @classmethod
    def get_request_data(cls, request, api, path_params):
        data = super().get_request_data(request, api, path_params)
        if data is None:  # no body at all: the same as {}
            name = getattr(cls, "__read_from_single_attr__", None)
            data = {name: {}} if name else {}
        return data


class JsonBody(Body):
    """A JSON request body; an empty body counts as {} (so its fields' own defaults and errors apply)."""

    _model = _BodyOrEmptyModel

    @classmethod
    def _param_source(cls) -> str:
        return "body"


def json_body(schema):
    """Annotate an endpoint parameter as the JSON request body of `schema`."""
    return Annotated[schema, JsonBody(...)]
