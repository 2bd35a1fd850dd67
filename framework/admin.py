from django.contrib import admin

from framework.models import Stream


@admin.register(Stream)
class StreamAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "slug", "tagline", "colour"]
    list_display_links = ["name"]
    search_fields = ["name", "tagline", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request, obj=None):
        return False  # the framework has exactly five streams
