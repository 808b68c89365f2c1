"""Organisations of every kind in system X (QKK) for the placement sector tests: a GP
practice, a care home and a hospice, each with an uploader, and adult nursing with the
illustrative split 14 acute, 3 community, 3 primary or social care."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from core.models import Organisation, OrganisationMembership, Role, User
from core.services.organisations import organisation_create
from education.models import Programme

from ..conftest import Cast, make_user

SPLIT = [
    {"sectors": ["acute"], "weeks": 14.0},
    {"sectors": ["community"], "weeks": 3.0},
    {"sectors": ["primary_care", "social_care"], "weeks": 3.0},
]


@dataclass
class Providers:
    practice: Organisation
    care_home: Organisation
    hospice: Organisation
    practice_uploader: User
    care_home_uploader: User


def providers(cast: Cast) -> Providers:
    today = timezone.localdate()
    practice = (
        Organisation.objects.filter(
            kind=Organisation.Kind.GP_PRACTICE,
            pk__in=OrganisationMembership.objects.filter(
                ics=cast.ics_x, valid_from__lte=today, valid_to__isnull=True
            ).values("organisation_id"),
        )
        .order_by("code")
        .first()
    )
    care_home = organisation_create(
        user=cast.national,
        ics=cast.ics_x,
        kind="social_care",
        name="Riverside Care Home",
        code="CRIVER1",
    )
    hospice = organisation_create(
        user=cast.national,
        ics=cast.ics_x,
        kind="independent",
        name="St Lukes Hospice",
        code="HOSP1",
    )
    return Providers(
        practice=practice,
        care_home=care_home,
        hospice=hospice,
        practice_uploader=make_user("practice-x", Role.TRUST_UPLOADER, organisation=practice),
        care_home_uploader=make_user("care-x", Role.TRUST_UPLOADER, organisation=care_home),
    )


def split_adult_nursing() -> Programme:
    adult = Programme.objects.get(code="NUR-ADULT-BSC")
    adult.placement_split = SPLIT
    adult.save(update_fields=["placement_split"])
    return adult
