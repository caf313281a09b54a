"""Settings for the test suite: the real settings in ``test`` mode.

The mode must be chosen before ``pledge.settings`` is evaluated, which a conftest cannot do
(pytest-django sets Django up before conftest files load).
"""

import os

os.environ["PLEDGE_ENV"] = "test"

from pledge.settings import *  # noqa: F403

# pytest-xdist runs several test processes against one Redis: each gets its own key space, so
# one process's rate limits and lockouts never leak into another's tests.
if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405
