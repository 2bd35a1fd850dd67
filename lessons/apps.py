from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Lessons and themes"

    def ready(self):
        from lessons import codify_panel  # noqa: F401  (the review page's lessons)
