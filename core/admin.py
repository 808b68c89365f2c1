"""The national administrator's pages for reference data, users and their roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import models
from .admin_audit import AuditedAdmin


@admin.register(models.User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Role and scope", {"fields": ("role", "ics", "organisation")}),
    )
    list_display = ("username", "role", "ics", "organisation", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("ics", "organisation")


@admin.register(models.Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("code", "name", "ons_code")


@admin.register(models.ICS)
class ICSAdmin(AuditedAdmin):
    list_display = ("code", "name", "region", "valid_from", "valid_to")
    list_filter = ("region",)
    search_fields = ("code", "name")


@admin.register(models.ICSSuccession)
class ICSSuccessionAdmin(AuditedAdmin):
    list_display = ("predecessor", "successor", "date", "kind")


class MembershipInline(admin.TabularInline):
    model = models.OrganisationMembership
    extra = 0


class NetworkMembershipInline(admin.TabularInline):
    """A GP practice's primary care networks, dated."""

    model = models.NetworkMembership
    fk_name = "practice"
    extra = 0
    autocomplete_fields = ("pcn",)


@admin.register(models.Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "sector", "active")
    list_filter = ("kind", "sector", "active")
    search_fields = ("code", "name", "cqc_location_id")
    inlines = [MembershipInline, NetworkMembershipInline]


@admin.register(models.StaffGroup)
class StaffGroupAdmin(AuditedAdmin):
    list_display = ("code", "name", "parent", "sector", "reportable", "sort_order")
    list_filter = ("sector", "reportable")


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only: the trail is never changed or deleted, not even here."""

    list_display = ("at", "user", "action", "model", "object_repr", "ics")
    list_filter = ("action", "model")
    readonly_fields = [f.name for f in models.AuditEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
