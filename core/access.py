"""The one place that narrows any query to a user's scope (docs/design.md section 5).

Every view, viewset and page calls these functions; none decides scope on its own.

- national administrator (and superuser): everything;
- ICB lead: their ICS: every organisation that is or was a member of it, and what the ICS owns;
- analyst: their ICS, as an ICB lead, or everything when they have no ICS (national analyst);
- trust uploader: their organisation only, and nothing an ICS owns.
"""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet

from .models import ICS, Organisation, OrganisationMembership, Role, User


def _organisation_ids_of_ics(ics_id: int) -> QuerySet:
    return OrganisationMembership.objects.filter(ics_id=ics_id).values("organisation_id")


def organisation_q(user: User, path: str = "") -> Q:
    """A Q object keeping rows whose organisation (at `path`, e.g. "organisation__") is in scope."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_national:
        return Q()
    if user.role == Role.TRUST_UPLOADER:
        return Q(**{f"{path}pk": user.organisation_id})
    if user.ics_id is not None:
        return Q(**{f"{path}pk__in": _organisation_ids_of_ics(user.ics_id)})
    return Q(pk__in=[])


def ics_q(user: User, path: str = "", *, include_national: bool = False) -> Q:
    """A Q object keeping rows whose ICS (at `path`, e.g. "ics__") is in scope.

    `include_national` also keeps rows with no ICS (national scenarios, which every ICS may
    read and copy).
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_national:
        return Q()
    if user.role == Role.TRUST_UPLOADER or user.ics_id is None:
        return Q(pk__in=[])  # a trust reads nothing an ICS or the nation owns
    national = Q(**{f"{path}isnull": True}) if include_national and path else Q(pk__in=[])
    key = f"{path}pk" if path else "pk"
    return Q(**{key: user.ics_id}) | national


def in_scope(
    queryset: QuerySet,
    user: User,
    *,
    organisation: str | None = None,
    ics: str | None = None,
    include_national: bool = False,
) -> QuerySet:
    """Narrow `queryset` to `user`'s scope through its organisation or its ICS field.

    Name the field path, e.g. `in_scope(returns, user, organisation="organisation")`.
    """
    if organisation is None and ics is None:
        raise ValueError("in_scope needs the path of an organisation or an ICS field")
    condition = Q()
    if organisation is not None:
        condition &= organisation_q(user, f"{organisation}__" if organisation else "")
    if ics is not None:
        condition &= ics_q(user, f"{ics}__" if ics else "", include_national=include_national)
    return queryset.filter(condition)


def organisations_in_scope(user: User) -> QuerySet[Organisation]:
    return in_scope(Organisation.objects.all(), user, organisation="")


def systems_in_scope(user: User) -> QuerySet[ICS]:
    """The systems whose figures the user may read (a trust uploader: none)."""
    return in_scope(ICS.objects.all(), user, ics="")


def can_read_ics(user: User, ics: ICS | None) -> bool:
    if ics is None:
        return user.is_authenticated and user.is_national
    return systems_in_scope(user).filter(pk=ics.pk).exists()


def can_plan_for(user: User, ics: ICS | None) -> bool:
    """May write an ICS's targets, scenarios and education plan (None: national ones)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role == Role.NATIONAL_ADMIN:
        return True
    return user.role == Role.ICB_LEAD and ics is not None and user.ics_id == ics.pk


def can_run_projection(user: User, ics: ICS | None) -> bool:
    """May start a projection run for an ICS (None: national, for national users only)."""
    if not user.is_authenticated or user.role == Role.TRUST_UPLOADER:
        return False
    return can_read_ics(user, ics)


def can_submit_for(user: User, organisation: Organisation) -> bool:
    """May upload a staffing return (or update capacity figures) for an organisation."""
    if not user.is_authenticated or user.role == Role.ANALYST:
        return False
    if user.is_superuser or user.role == Role.NATIONAL_ADMIN:
        return True
    if user.role == Role.TRUST_UPLOADER:
        return user.organisation_id == organisation.pk
    return organisations_in_scope(user).filter(pk=organisation.pk).exists()


def can_read_audit(user: User) -> bool:
    """May read the audit trail: national administrators (all of it) and ICB leads (their
    system's). Trust uploaders and analysts do not: it names the people who changed things,
    and is kept for those accountable for the plan (docs/decisions.md)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.role in (Role.NATIONAL_ADMIN, Role.ICB_LEAD)


def is_visible(
    user: User,
    obj: Model,
    *,
    organisation: str | None = None,
    ics: str | None = None,
    include_national: bool = False,
) -> bool:
    return in_scope(
        type(obj).objects.filter(pk=obj.pk),
        user,
        organisation=organisation,
        ics=ics,
        include_national=include_national,
    ).exists()
