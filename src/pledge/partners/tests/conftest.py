import importlib.util
from decimal import Decimal

import pytest

from pledge.partners import hooks, loader

BOTH = ["default", "vault"]


@pytest.fixture(autouse=True)
def fresh_adapters(isolated_runtime):
    """Each test loads adapters from its own settings and environment."""
    loader.reset()
    yield
    loader.reset()


@pytest.fixture
def payment_events():
    """What the shop's on_payment_status handler would have been told."""
    events = []

    def handler(*, order_reference: str, payment_id: str, status: str, amount: Decimal):
        events.append((order_reference, payment_id, status, amount))

    hooks.on_payment_status(handler)
    yield events
    hooks.disconnect(handler)


@pytest.fixture
def shipment_events():
    events = []

    def handler(*, order_reference: str, status: str, tracking_code: str):
        events.append((order_reference, status, tracking_code))

    hooks.on_shipment_status(handler)
    yield events
    hooks.disconnect(handler)


@pytest.fixture
def enqueued_tasks():
    """Task results enqueued during the test (tests run the task functions themselves)."""
    from django.tasks import signals

    enqueued = []

    def collect(sender, task_result, **kwargs):
        enqueued.append(task_result)

    receivers = [signals.task_enqueued]
    if importlib.util.find_spec("django_tasks"):
        from django_tasks import signals as compat_signals

        receivers.append(compat_signals.task_enqueued)
    for signal in receivers:
        signal.connect(collect, weak=False, dispatch_uid="partners-tests-enqueued")
    yield enqueued
    for signal in receivers:
        signal.disconnect(dispatch_uid="partners-tests-enqueued")
