from django.contrib import admin

from p2s.models import FailedNotification, Stream


@admin.register(Stream)
class StreamAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "slug", "tagline", "colour"]
    list_display_links = ["name"]
    search_fields = ["name", "tagline", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request, obj=None):
        return False  # the framework has exactly five streams


@admin.register(FailedNotification)
class FailedNotificationAdmin(admin.ModelAdmin):
    """A record of what happened: read and delete only. Sending again or
    dismissing is on the moderation queue."""

    list_display = ["created_at", "subject", "what", "attempts", "resolution"]
    list_filter = ["resolution", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject", "what", "error"]
    readonly_fields = [field.name for field in FailedNotification._meta.fields]

    def has_add_permission(self, request):
        return False
