from django.urls import path

from . import views_root

app_name = "consent_root"
urlpatterns = [
    path(".well-known/gpc.json", views_root.gpc_json, name="gpc"),
]
