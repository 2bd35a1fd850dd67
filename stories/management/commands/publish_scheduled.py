from django.core.management.base import BaseCommand

from stories.workflow import publish_due


class Command(BaseCommand):
    help = "Publish approved stories whose scheduled time has come (run every minute)."

    def handle(self, *args, **options):
        count = publish_due()
        self.stdout.write(
            f"Published {count} scheduled stor{'y' if count == 1 else 'ies'}."
        )
