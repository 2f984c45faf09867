import pytest

from partnerops.core.roles import Role
from tests.api.client import Api


@pytest.fixture
def api(db: None) -> Api:
    return Api(Role.PARTNERSHIPS)
