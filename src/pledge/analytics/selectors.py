"""Reads: aggregates for the charts (never one visitor), and the visitor's refusal if any."""

from dataclasses import dataclass
from datetime import date, timedelta
from importlib import import_module

from django.db.models import Count
from django.utils import timezone

from .models import DailyVisitors, PageView

TOP = 10


@dataclass(frozen=True)
class DayCount:
    day: date
    visitors: int
    pageviews: int


@dataclass(frozen=True)
class Statistics:
    days: list[DayCount]
    top_pages: list[tuple[str, int]]
    top_referrers: list[tuple[str, int]]
    devices: list[tuple[str, int]]
    countries: list[tuple[str, int]]
    # Category id -> share that consented (0..1); None when the consent app offers no rates.
    consent_rates: dict[str, float] | None


def _consent_selector(name: str):
    """A function of the consent app, or None while that app does not offer it."""
    try:
        module = import_module("pledge.consent.selectors")
    except ModuleNotFoundError as missing:
        if missing.name != "pledge.consent.selectors":
            raise  # a real import error inside the consent app must not be hidden
        return None
    return getattr(module, name, None)


def analytics_refused(request) -> bool:
    """Whether the visitor refused the analytics cookie category (then we do not count them).

    Cookieless counting needs no consent (Telecommunicatiewet art. 11.7a(3)(b)), but the policy
    promises that a refusal of analytics stops this counting too.
    """
    category_refused = _consent_selector("category_refused")
    return bool(category_refused(request, "analytics")) if category_refused else False


def _top(queryset, field: str, limit: int = TOP) -> list[tuple[str, int]]:
    rows = queryset.values(field).annotate(n=Count("id")).order_by("-n", field)[:limit]
    return [(row[field], row["n"]) for row in rows]


def statistics_summary(*, days: int = 30, today: date | None = None) -> Statistics:
    """Visitors and page views per day, top pages, referrer hosts, devices and countries."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    views = PageView.objects.filter(day__gte=first, day__lte=today)
    pageviews = dict(views.values("day").annotate(n=Count("id")).values_list("day", "n"))
    # A past day's hashes are cleared at rotation; its count was kept in DailyVisitors.
    live = dict(
        views.exclude(visitor_hash="")
        .values("day")
        .annotate(n=Count("visitor_hash", distinct=True))
        .values_list("day", "n")
    )
    kept = dict(
        DailyVisitors.objects.filter(day__gte=first, day__lte=today).values_list("day", "visitors")
    )
    series = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        series.append(
            DayCount(
                day=day,
                visitors=kept.get(day, 0) + live.get(day, 0),
                pageviews=pageviews.get(day, 0),
            )
        )
    rates = _consent_selector("consent_rates")
    return Statistics(
        days=series,
        top_pages=_top(views, "path"),
        top_referrers=_top(views.exclude(referrer_host=""), "referrer_host"),
        devices=_top(views, "device_class"),
        countries=_top(views.exclude(country=""), "country"),
        consent_rates=dict(rates(days=days)) if rates else None,
    )
