from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"

    def ready(self):
        from stories import search  # noqa: F401  (keeps the search vectors current)
