import copy
import tomllib
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def policy_source() -> str:
    return Path(settings.PLEDGE_POLICY).read_text(encoding="utf-8")


@pytest.fixture
def raw_policy(policy_source) -> dict:
    """The shop's policy as plain data, for a test to break one thing in."""
    return copy.deepcopy(tomllib.loads(policy_source))
