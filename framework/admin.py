from django.contrib import admin, messages

from common.admin import NoControlCharacters
from framework import services
from framework.models import PRACTICE_FIELDS, FrameworkVersion, Practice, Stream


@admin.register(Stream)
class StreamAdmin(NoControlCharacters, admin.ModelAdmin):
    list_display = ["order", "name", "slug", "tagline", "colour"]
    list_display_links = ["name"]
    search_fields = ["name", "tagline", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request, obj=None):
        return False  # the framework has exactly five streams


class PracticeInline(NoControlCharacters, admin.StackedInline):
    """A draft's practices, edited in place; a published version's, read only."""

    model = Practice
    extra = 0
    fields = ["stream", *PRACTICE_FIELDS]

    def has_add_permission(self, request, obj=None):
        return is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_draft(obj) and super().has_delete_permission(request, obj)


def is_draft(version):
    return version is None or not version.is_published


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(NoControlCharacters, admin.ModelAdmin):
    """The self-assessment's versions. A published one is read only: to change
    the practices, copy it into a new draft, edit that, and publish it."""

    list_display = ["number", "name", "published_at"]
    list_display_links = ["name"]
    readonly_fields = ["published_at"]
    inlines = [PracticeInline]
    actions = ["copy_as_draft", "publish"]

    def has_add_permission(self, request):
        return False  # a new version starts as a copy of one

    def has_change_permission(self, request, obj=None):
        return is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_draft(obj) and super().has_delete_permission(request, obj)

    @admin.action(description="Copy as a new draft version", permissions=["copy"])
    def copy_as_draft(self, request, queryset):
        for version in queryset.order_by("number"):
            draft = services.version_copy(version=version)
            self.message_user(request, f"Version {draft.number} is a new draft.")

    @admin.action(
        description="Publish (new assessments use it)", permissions=["publish"]
    )
    def publish(self, request, queryset):
        for version in queryset.order_by("number"):
            try:
                published = services.version_publish(version=version)
            except services.FrameworkError as refused:
                self.message_user(request, str(refused), messages.ERROR)
                continue
            if published:
                self.message_user(request, f"Version {version.number} is published.")

    def has_copy_permission(self, request):
        return request.user.has_perm("framework.add_frameworkversion")

    def has_publish_permission(self, request):
        return request.user.has_perm("framework.change_frameworkversion")
