"""Mounted at the root, outside the language prefix, and without a namespace of its own so the
consent API keeps its own ("consent_api"), which django-ninja's docs page reverses."""

from django.urls import path

from . import views_root
from .api import api

urlpatterns = [
    path(".well-known/gpc.json", views_root.gpc_json, name="consent_gpc"),
    # Machine endpoint: one URL for every language (the answer is data, not text).
    path("consent/api/", api.urls),
]
