from django.urls import path

from . import views

app_name = "policy"
urlpatterns = [
    path("privacy/", views.privacy_statement, name="privacy"),
    path("cookies/", views.cookie_statement, name="cookies"),
    path("privacy/officer/", views.officer_contact, name="officer"),
]
