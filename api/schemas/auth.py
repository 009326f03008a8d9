"""Log-in, the current user, and API tokens."""
from datetime import datetime

from ninja import Field, Schema

from ..fields import bounded_text
from .common import AgencyOut, In, UserOut


class TokenRequest(In):
    username: bounded_text(150, 1) = Field(..., title="用户名")
    password: bounded_text(4096, 1) = Field(..., title="密码")


class TokenOut(Schema):
    token: str = Field(..., description="之后的请求带请求头 Authorization: Token <令牌>")
    id: int = Field(..., description="令牌编号（GET /tokens 列出，DELETE /tokens/{id} 吊销）")
    user: UserOut
    expires_at: datetime | None
    max_age_days: int = Field(..., description="有效天数；0 表示不限")


class TokenInfo(Schema):
    id: int
    via: str = Field(..., description="api（用户名和密码）、session（网页会话）或 command（管理命令）")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoke_reason: str
    active: bool
    current: bool = Field(..., description="是否为本次请求所用的令牌")


class RevokeIn(In):
    reason: bounded_text(200) = Field("", title="吊销原因")


class Membership(Schema):
    agency: AgencyOut
    role: str
    role_label: str

    @staticmethod
    def resolve_role_label(obj):
        return obj.get_role_display()


class MeOut(UserOut):
    memberships: list[Membership]

    @staticmethod
    def resolve_memberships(obj):
        return list(obj.memberships.filter(agency__is_active=True).select_related("agency")
                    .order_by("agency__code", "role"))
