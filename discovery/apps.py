from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "discovery"
    verbose_name = "Finding stories"

    def ready(self):
        from discovery import search  # noqa: F401  (keeps the search vectors current)
