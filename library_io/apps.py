from django.apps import AppConfig


class LibraryIOConfig(AppConfig):
    name = "library_io"
    verbose_name = "Export and import"
