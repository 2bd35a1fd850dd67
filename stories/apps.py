from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"

    def ready(self):
        from stories import pending  # noqa: F401  (a kept image's file goes with it)
