import pytest

# Every test here keeps its files and cache counters to itself (see the root conftest.py).
pytestmark = pytest.mark.usefixtures("isolated_runtime")
