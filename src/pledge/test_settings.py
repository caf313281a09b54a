"""Settings for the test suite: the real settings in ``test`` mode.

The mode must be chosen before ``pledge.settings`` is evaluated, which a conftest cannot do
(pytest-django sets Django up before conftest files load).
"""

import os

os.environ["PLEDGE_ENV"] = "test"

from pledge.settings import *  # noqa: F403
