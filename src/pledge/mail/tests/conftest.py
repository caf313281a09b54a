import logging
from pathlib import Path

import pytest

# The test server's own log echoes addresses; it is not Pledge's log, but keep the output quiet.
logging.getLogger("mail.log").setLevel(logging.WARNING)

TEMPLATES_DIR = Path(__file__).parent / "templates"
BOTH = ["default", "vault"]


@pytest.fixture(autouse=True)
def mail_templates(settings):
    """The test templates stand in for a calling app's mail templates."""
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = templates
    settings.PLEDGE_MAIL_RETRY_BASE_SECONDS = 60
    return settings


@pytest.fixture(autouse=True)
def enqueued_tasks(enqueued_tasks):
    """Every mail test collects what it enqueues (and, with Redis, removes it afterwards)."""
    return enqueued_tasks
