"""The national administrator's pages for reference data, users and their roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import models


@admin.register(models.User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Role and scope", {"fields": ("role", "ics", "organisation")}),
    )
    list_display = ("username", "role", "ics", "organisation", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("ics", "organisation")


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "ons_code")


@admin.register(models.ICS)
class ICSAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region", "valid_from", "valid_to")
    list_filter = ("region",)
    search_fields = ("code", "name")


@admin.register(models.ICSSuccession)
class ICSSuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "date", "kind")


class MembershipInline(admin.TabularInline):
    model = models.OrganisationMembership
    extra = 0


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    inlines = [MembershipInline]


@admin.register(models.StaffGroup)
class StaffGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "sector", "reportable", "sort_order")
    list_filter = ("sector", "reportable")


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "model", "object_repr", "ics")
    list_filter = ("action", "model")
    readonly_fields = [f.name for f in models.AuditEntry._meta.fields]
