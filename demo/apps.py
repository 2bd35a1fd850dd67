from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Made-up content, never in production: the demo library that `make run`
    loads (from fixtures/demo/) and the synthetic library of any size for the
    benchmarks (`generate_stories`)."""

    name = "demo"
    verbose_name = "Demo and synthetic library"
