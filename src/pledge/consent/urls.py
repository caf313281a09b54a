from django.urls import path

from . import views

# The API (/consent/api/) lives in urls_root.py: a machine endpoint needs no language prefix.
app_name = "consent"
urlpatterns = [
    path("", views.consent_settings, name="settings"),
    path("decide/", views.consent_decide, name="decide"),
]
