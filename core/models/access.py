"""Users, their one role and one scope (docs/design.md section 5), and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from .reference import ICS, Organisation


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", "National administrator"
    ICB_LEAD = "icb_lead", "ICB workforce lead"
    TRUST_UPLOADER = "trust_uploader", "Provider uploader"
    ANALYST = "analyst", "Analyst"


class User(AbstractUser):
    """A person with one role and one scope: national, one ICS, or one organisation."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANALYST)
    ics = models.ForeignKey(
        ICS, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="user_scope_fits_role",
                condition=(
                    Q(role=Role.NATIONAL_ADMIN, ics__isnull=True, organisation__isnull=True)
                    | Q(role=Role.ICB_LEAD, ics__isnull=False, organisation__isnull=True)
                    | Q(role=Role.TRUST_UPLOADER, ics__isnull=True, organisation__isnull=False)
                    | Q(role=Role.ANALYST, organisation__isnull=True)
                ),
            )
        ]

    @property
    def is_national(self) -> bool:
        """Sees every system: national administrators, superusers and national analysts."""
        return (
            self.is_superuser
            or self.role == Role.NATIONAL_ADMIN
            or (self.role == Role.ANALYST and self.ics_id is None)
        )

    @property
    def scope_label(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        if self.ics_id:
            return self.ics.name
        return "England"


class AuditEntry(models.Model):
    """One write: who, when, what, and the fields before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=8, choices=Action.choices)
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    ics = models.ForeignKey(ICS, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    changes = models.JSONField(default=dict, help_text="field -> [before, after]")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
