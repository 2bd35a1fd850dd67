from django.contrib import admin

from common.admin import NoControlCharacters
from spaces.models import Resource, Session, Space, SpaceJoinRequest, SpaceMember


class SpaceMemberInline(NoControlCharacters, admin.TabularInline):
    model = SpaceMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Space)
class SpaceAdmin(NoControlCharacters, admin.ModelAdmin):
    """The core team makes the spaces and names their first facilitators;
    the facilitators then decide who joins, on the space's page."""

    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "purpose"]
    inlines = [SpaceMemberInline]


@admin.register(SpaceJoinRequest)
class SpaceJoinRequestAdmin(NoControlCharacters, admin.ModelAdmin):
    list_display = ["user", "space", "status", "created_at", "decided_at"]
    list_filter = ["status", "space"]
    raw_id_fields = ["user", "decided_by"]


@admin.register(Session)
class SessionAdmin(NoControlCharacters, admin.ModelAdmin):
    """Facilitators plan and write up sessions on the space's own pages;
    here the core team mends one."""

    list_display = ["title", "space", "starts_at", "duration"]
    list_filter = ["space"]
    search_fields = ["title", "agenda", "notes"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["created_by"]


@admin.register(Resource)
class ResourceAdmin(NoControlCharacters, admin.ModelAdmin):
    """Members share and change resources on the space's pages (a file only
    through spaces.documents); here the core team mends the words."""

    list_display = ["title", "space", "stream", "kind", "created_at"]
    list_filter = ["space", "stream"]
    search_fields = ["title", "description"]
    fields = ["space", "title", "description", "stream", "link", "tags"]
    readonly_fields = ["space"]

    def has_add_permission(self, request):
        return False  # a file comes in only through the space's own form
