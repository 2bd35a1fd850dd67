from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from communities.models import Community, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username", "email", "first_name", "last_name", "organisation",
        "is_approved", "is_staff",
    ]  # fmt: skip
    list_filter = ["is_approved", "is_staff", "is_active", "groups"]
    search_fields = ["username", "email", "first_name", "last_name", "organisation"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Membership of the Collective", {"fields": ["organisation", "is_approved"]}),
    )


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "place", "backbone_organisation", "is_demo"]
    list_filter = ["state", "is_demo"]
    search_fields = ["name", "place", "backbone_organisation", "description"]
    prepopulated_fields = {"slug": ["name"]}
