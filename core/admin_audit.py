"""Changes made in the Django admin go into the audit trail like any other write.

The admin is where national administrators change reference data, users and their roles;
Django's own admin log keeps a message, the trail keeps the values before and after.
Password fields are never recorded, not even hashed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from core.models import AuditEntry
from core.services.audit import audit_record


def _plain(value: Any) -> Any:
    """A form value as JSON: objects by their name, figures and dates as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal | datetime.date | datetime.datetime):
        return str(value)
    if isinstance(value, QuerySet | list | tuple | set):
        return sorted(str(item) for item in value)
    return str(value)


def _recorded(names: list[str]) -> list[str]:
    return [name for name in names if "password" not in name]


def record_form(request: HttpRequest, form: ModelForm, obj: Model, *, change: bool) -> None:
    names = _recorded(list(form.changed_data))
    if change and not names:
        return
    audit_record(
        user=request.user,
        action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
        instance=obj,
        before={n: _plain(form.initial.get(n)) for n in names} if change else None,
        after={n: _plain(form.cleaned_data.get(n)) for n in names},
    )


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record_form(request, form, obj, change=change)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseFormSet, change: bool
    ) -> None:
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms and inline_form.instance.pk is not None:
                audit_record(
                    user=request.user,
                    action=AuditEntry.Action.DELETE,
                    instance=inline_form.instance,
                )
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            record_form(
                request,
                inline_form,
                inline_form.instance,
                change=bool(inline_form.initial),
            )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit_record(user=request.user, action=AuditEntry.Action.DELETE, instance=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            audit_record(user=request.user, action=AuditEntry.Action.DELETE, instance=obj)
        super().delete_queryset(request, queryset)
