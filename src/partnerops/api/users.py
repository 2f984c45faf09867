"""Users and roles, for administrators (issue 18): the same audited services as
`partnerops users`; a new user's password is in the answer once, never again."""

from __future__ import annotations

from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from partnerops.api.auth import CapabilityAuth
from partnerops.api.schemas import Input, Pages
from partnerops.core.roles import Capability, Role
from partnerops.core.users import user_create, user_deactivate, user_set_role

users = Router(tags=["users"])
can_manage_users = CapabilityAuth(Capability.MANAGE_SETTINGS)
RoleName = Literal["Partnerships", "Engineering", "Operations", "Viewer", "Administrator"]
assert set(RoleName.__args__) == {role.value for role in Role}  # type: ignore[attr-defined]


class UserOut(Schema):
    id: int
    username: str
    email: str
    is_active: bool
    roles: list[str]

    @staticmethod
    def resolve_roles(user: Any) -> list[str]:
        return sorted(group.name for group in user.groups.all())


class UserIn(Input):
    username: str = Field(..., min_length=1, max_length=150, examples=["olga"])
    role: RoleName = Field(..., examples=["Operations"])
    email: str = Field("", max_length=254, examples=["olga@example.org"])


class NewUserOut(UserOut):
    password: str  # shown once

    @staticmethod
    def resolve_password(user: Any) -> str:
        # The one-time password in clear, never the stored hash.
        return str(user.one_time_password)


class RoleIn(Input):
    role: RoleName = Field(..., examples=["Viewer"])


def _user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise HttpError(404, f"There is no user {username!r}.")
    return user


@users.get("", response=list[UserOut], auth=can_manage_users)
@paginate(Pages)
def list_users(request: HttpRequest) -> Any:
    return get_user_model().objects.prefetch_related("groups").order_by("username")


@users.post("", response={201: NewUserOut}, auth=can_manage_users)
def create_user(request: HttpRequest, payload: UserIn) -> Reply[Any]:
    created = user_create(
        actor=request.user, username=payload.username, role=payload.role, email=payload.email
    )
    created.user.one_time_password = created.password
    return Reply(201, created.user)


@users.post("/{username}/role", response=UserOut, auth=can_manage_users)
def set_user_role(request: HttpRequest, username: str, payload: RoleIn) -> Any:
    _user(username)
    return user_set_role(actor=request.user, username=username, role=payload.role)


@users.post("/{username}/deactivate", response=UserOut, auth=can_manage_users)
def deactivate_user(request: HttpRequest, username: str) -> Any:
    _user(username)
    return user_deactivate(actor=request.user, username=username)
