from django.apps import AppConfig


class FrameConfig(AppConfig):
    name = "pledge.frame"
    label = "frame"
    verbose_name = "Site frame"
