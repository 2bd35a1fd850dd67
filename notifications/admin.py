from django.contrib import admin

from common.admin import NoControlCharacters
from notifications.models import FailedNotification


@admin.register(FailedNotification)
class FailedNotificationAdmin(NoControlCharacters, admin.ModelAdmin):
    """A record of what happened: read and delete only. Sending again or
    dismissing is on the moderation queue."""

    list_display = ["created_at", "subject", "what", "attempts", "resolution"]
    list_filter = ["resolution", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject", "what", "error"]
    readonly_fields = [field.name for field in FailedNotification._meta.fields]

    def has_add_permission(self, request):
        return False
