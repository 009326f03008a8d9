"""Schemas shared by every router: people, agencies, the error body, pagination, an empty request body."""
from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import ConfigDict

from ..fields import MAX_INT


class In(Schema):
    """Base of every request body: unknown fields are refused (400 with the field), nothing is guessed."""

    model_config = ConfigDict(extra="forbid")


class Empty(In):
    """No fields."""


class Error(Schema):
    code: str = Field(..., description="稳定的错误代码，如 invalid_input、permission_denied、invalid_state、"
                                       "stale_revision、task_taken、task_closed、not_found、not_authenticated、"
                                       "invalid_token、malformed_json、csrf_failed、server_error")
    message: str = Field(..., description="中文提示")
    message_en: str
    field: str | None = Field(None, description="出错的字段（嵌套字段用点号，如 secrecy.ground）")
    errors: dict[str, list[str]] | None = Field(None, description="每个出错字段的全部提示")


class UserOut(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_username(obj):
        return obj.get_username()

    @staticmethod
    def resolve_name(obj):
        return obj.get_full_name() or obj.get_username()


class AgencyOut(Schema):
    id: int
    code: str
    name: str


class Pagination(LimitOffsetPagination):
    """limit (1-100, default 20) and offset in the query; {count, limit, offset, results} in the answer."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100, title="每页条数")
        offset: int = Field(0, ge=0, le=MAX_INT, title="偏移")

    class Output(Schema):
        count: int = Field(..., description="符合条件的总数")
        limit: int
        offset: int
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset, limit = pagination.offset, pagination.limit
        return {"count": self._items_count(queryset), "limit": limit, "offset": offset,
                "results": list(queryset[offset:offset + limit])}


def responses(ok, status=200, *errors, auth=True):
    """The responses of an operation: the success schema, then Error for each error status it may answer."""
    result = {status: ok}
    for code in sorted(set(errors) | ({401} if auth else set())):
        result[code] = Error
    return result
