from django.urls import path

from . import views
from .api import api

app_name = "consent"
urlpatterns = [
    path("", views.consent_settings, name="settings"),
    path("decide/", views.consent_decide, name="decide"),
    path("api/", api.urls),
]
