from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.load import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo library (communities, accounts, stories). Never in production."
    )

    def handle(self, *args, **options):
        if not settings.P2S_DEMO_ALLOWED:
            raise CommandError("Demo content is not allowed in this configuration.")
        communities, stories = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {len(communities)} communities, {len(stories)} stories. "
                f"Log in as core, lead, member or funder with password {DEMO_PASSWORD}."
            )
        )
