from django.apps import AppConfig


class P2SConfig(AppConfig):
    name = "p2s"
    verbose_name = "Pathway to Scale"

    def ready(self):
        from common import cache  # noqa: F401  (the library version follows every write)
