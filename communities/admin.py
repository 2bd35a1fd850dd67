from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from common.admin import NoControlCharacters
from communities.models import Community, Invitation, JoinRequest, Membership, User


@admin.register(User)
class UserAdmin(NoControlCharacters, BaseUserAdmin):
    list_display = [
        "username",
        "email",
        "name",
        "organisation",
        "is_approved",
        "is_staff",
    ]
    list_filter = ["is_approved", "is_staff", "is_active", "groups"]
    search_fields = ["username", "email", "name", "organisation"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Membership of the Collective",
            {"fields": ["name", "organisation", "is_approved", "time_zone"]},
        ),
    )
    actions = ["approve"]

    @admin.action(description="Approve the selected accounts")
    def approve(self, request, queryset):
        updated = queryset.filter(is_approved=False).update(is_approved=True)
        self.message_user(request, f"{updated} account(s) approved.")


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(NoControlCharacters, BaseGroupAdmin):
    """Django's, with the same refusal of control characters in a name."""


@admin.register(Community)
class CommunityAdmin(NoControlCharacters, admin.ModelAdmin):
    list_display = ["name", "state", "place", "backbone_organisation", "is_demo"]
    list_filter = ["state", "is_demo"]
    search_fields = ["name", "place", "backbone_organisation", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(NoControlCharacters, admin.ModelAdmin):
    list_display = ["user", "community", "role", "created_at"]
    list_filter = ["role", "community__state", "community"]
    search_fields = ["user__username", "user__email", "user__name", "community__name"]
    list_select_related = ["user", "community"]
    autocomplete_fields = ["user", "community"]


@admin.register(JoinRequest)
class JoinRequestAdmin(NoControlCharacters, admin.ModelAdmin):
    list_display = ["user", "community", "status", "created_at", "decided_by"]
    list_filter = ["status", "community"]
    search_fields = ["user__username", "user__email", "community__name"]
    list_select_related = ["user", "community", "decided_by"]
    readonly_fields = ["decided_by", "decided_at", "created_at"]


@admin.register(Invitation)
class InvitationAdmin(NoControlCharacters, admin.ModelAdmin):
    list_display = ["email", "community", "role", "expires_at", "used_at", "revoked"]
    list_filter = ["role", "revoked"]
    search_fields = ["email"]
    readonly_fields = ["used_at", "used_by", "created_by", "created_at"]
    fields = [
        "email",
        "community",
        "role",
        "expires_at",
        "revoked",
        "created_by",
        "created_at",
        "used_at",
        "used_by",
    ]

    def has_add_permission(self, request):
        return (
            False  # invitations are made on the invitations page, which shows the link
        )
