import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def consent_settings(isolated_runtime):
    settings = isolated_runtime
    translation.activate(settings.LANGUAGE_CODE)
    yield settings
    translation.deactivate()
