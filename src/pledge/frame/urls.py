from django.urls import path

from . import views

app_name = "frame"
urlpatterns = [
    path("", views.home, name="home"),
]
