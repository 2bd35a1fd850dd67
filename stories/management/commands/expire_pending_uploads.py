"""Forget the images kept from story forms that had a problem once they are
older than PendingUpload.PENDING_HOURS, and sweep away any file under pending/
that no kept image names any more; and the editor's images of deleted
accounts that no story uses. Each new image also clears the expired, so
this is only for a quiet library: run it daily."""

from django.core.management.base import BaseCommand

from stories.pending import pending_files_sweep, pending_uploads_expire
from stories.services import editor_images_orphaned_forget


class Command(BaseCommand):
    help = "Delete images kept from story forms that had a problem, once expired."

    def handle(self, *args, **options):
        count = pending_uploads_expire()
        self.stdout.write(f"{count} expired image{'s' if count != 1 else ''} deleted.")
        swept = pending_files_sweep()
        if swept:
            self.stdout.write(
                f"{swept} leftover file{'s' if swept != 1 else ''} swept away."
            )
        orphans = editor_images_orphaned_forget()
        if orphans:
            self.stdout.write(
                f"{orphans} image{'s' if orphans != 1 else ''} of deleted "
                "accounts that no story uses deleted."
            )
