from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from partnerops.core import audit_lock
from partnerops.core.roles import Role
from tests.factories import UserFactory
from tests.smtp import smtp, smtp_down  # noqa: F401 - the real SMTP server, for every test folder


@pytest.fixture(autouse=True)
def _fast_storage(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def user_with_role(db: None) -> Callable[..., Any]:
    def make(role: Role | None, **kwargs: Any) -> Any:
        return UserFactory(roles=[role] if role else [], **kwargs)

    return make


@pytest.fixture
def partnerships_user(user_with_role: Callable[..., Any]) -> Any:
    return user_with_role(Role.PARTNERSHIPS, username="paula")


@pytest.fixture
def viewer_user(user_with_role: Callable[..., Any]) -> Any:
    return user_with_role(Role.VIEWER, username="val")


@pytest.fixture
def admin_user_(user_with_role: Callable[..., Any]) -> Any:
    return user_with_role(Role.ADMINISTRATOR, username="ada")


@pytest.fixture
def partnerships_client(partnerships_user: Any) -> Client:
    client = Client()
    client.force_login(partnerships_user)
    return client


@pytest.fixture
def viewer_client(viewer_user: Any) -> Client:
    client = Client()
    client.force_login(viewer_user)
    return client


@pytest.fixture(autouse=True)
def _audit_trail_locked() -> None:
    audit_lock.lock()


@pytest.fixture
def live_db(transactional_db: None) -> Iterator[None]:
    """For tests with a live server: the database is emptied afterwards, audit trail included."""
    yield
    # Torn down before transactional_db empties the database (pytest's reverse order).
    audit_lock.unlock_for_test_database_flush()
