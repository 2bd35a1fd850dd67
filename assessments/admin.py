"""The core team reads assessments in the admin, to help a community or to
remove one started by mistake; answers are the community's to write, on the
assessment's own pages."""

from django.contrib import admin

from assessments.models import Assessment, Group
from common.admin import NoControlCharacters


class GroupInline(NoControlCharacters, admin.TabularInline):
    model = Group
    fields = ["stream", "name", "member", "done_at", "saved_at", "saved_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(NoControlCharacters, admin.ModelAdmin):
    list_display = ["title", "community", "held_on", "status", "is_shared", "version"]
    list_filter = ["status", "is_shared", "community__state"]
    search_fields = ["title", "community__name"]
    list_select_related = ["community", "version"]
    readonly_fields = [
        "community",
        "version",
        "title",
        "held_on",
        "participants",
        "status",
        "is_shared",
        "started_by",
        "created_at",
        "closed_at",
    ]
    inlines = [GroupInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # read-only: the community writes it through the services
