from django.apps import AppConfig


class P2SConfig(AppConfig):
    name = "p2s"
    verbose_name = "Pathway to Scale"
