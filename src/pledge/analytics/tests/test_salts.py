"""The daily salt: a new one each day, and yesterday's deleted with the hashes made with it."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from pledge.analytics.models import DailySalt, PageView
from pledge.analytics.selectors import statistics_summary
from pledge.analytics.services import Hit, pageview_record, salts_rotate
from pledge.analytics.tasks import salts_rotate_task
from pledge.audit.models import AuditEvent
from pledge.policy.selectors import current_policy

from .factories import DUTCH_BROWSER, FIREFOX_DESKTOP, IP_AMSTERDAM, SITE

pytestmark = pytest.mark.django_db(databases=["default", "vault"])
MONDAY = date(2026, 11, 23)
TUESDAY = MONDAY + timedelta(days=1)


def hit(path="/") -> Hit:
    return Hit(
        path=path,
        referrer="",
        site=SITE,
        ip_address=IP_AMSTERDAM,
        user_agent=FIREFOX_DESKTOP,
        accept_language=DUTCH_BROWSER,
    )


def test_the_next_days_salt_gives_the_same_visitor_a_different_hash():
    monday = pageview_record(hit=hit(), day=MONDAY)
    tuesday = pageview_record(hit=hit(), day=TUESDAY)
    assert monday.visitor_hash != tuesday.visitor_hash
    assert DailySalt.objects.count() == 2
    assert bytes(DailySalt.objects.get(day=MONDAY).salt) != bytes(
        DailySalt.objects.get(day=TUESDAY).salt
    )


def test_after_rotation_yesterdays_salt_and_hashes_are_gone_but_the_counts_stay():
    pageview_record(hit=hit("/"), day=MONDAY)
    pageview_record(hit=hit("/privacy/"), day=MONDAY)
    pageview_record(hit=hit(), day=TUESDAY)

    assert salts_rotate(today=TUESDAY) == 1

    assert list(DailySalt.objects.values_list("day", flat=True)) == [TUESDAY]
    assert set(PageView.objects.filter(day=MONDAY).values_list("visitor_hash", flat=True)) == {""}
    assert PageView.objects.get(day=TUESDAY).visitor_hash
    monday, tuesday = statistics_summary(days=2, today=TUESDAY).days
    assert (monday.visitors, monday.pageviews) == (1, 2)
    assert (tuesday.visitors, tuesday.pageviews) == (1, 1)


def test_the_salt_lives_as_long_as_the_policy_says():
    pageview_record(hit=hit(), day=MONDAY)
    retention = timedelta(days=current_policy().purpose("statistics").retention.days)
    salts_rotate(today=MONDAY + retention - timedelta(days=1))
    assert DailySalt.objects.filter(day=MONDAY).exists()
    salts_rotate(today=MONDAY + retention)
    assert not DailySalt.objects.filter(day=MONDAY).exists()


def test_todays_salt_survives_rotation():
    pageview_record(hit=hit(), day=TUESDAY)
    assert salts_rotate(today=TUESDAY) == 0
    assert DailySalt.objects.filter(day=TUESDAY).exists()


def test_rotation_is_in_the_audit_log_without_any_hash():
    pageview_record(hit=hit(), day=MONDAY)
    view_hash = PageView.objects.get().visitor_hash
    salts_rotate(today=TUESDAY)
    event = AuditEvent.objects.filter(action="retention_sweep").latest("sequence")
    assert event.purpose == "statistics"
    assert json.loads(event.details_json) == {"salts_deleted": 1, "hashes_cleared": 1}
    assert view_hash not in event.details_json


def test_the_command_and_the_task_rotate_the_salts():
    pageview_record(hit=hit(), day=MONDAY - timedelta(days=7))
    out = StringIO()
    call_command("analytics_rotate_salts", stdout=out)
    assert "1 salt(s) deleted" in out.getvalue()
    pageview_record(hit=hit(), day=MONDAY - timedelta(days=3))
    salts_rotate_task.call()
    assert not DailySalt.objects.exists()
