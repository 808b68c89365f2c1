"""The education pages: the three-year plan of a system, and an organisation's capacity."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.access import can_plan_for, can_submit_for, organisations_in_scope, systems_in_scope
from core.errors import ApplicationError
from core.models import Role
from core.selectors.reference import systems_for_home
from education import selectors, services
from education.forms import EducatorsForm, PlacesForm
from education.models import Programme
from education.placement_sectors import SECTOR_LABELS, default_sector, sectors_for_kind


def _saved(request: HttpRequest, form: Form, save: Callable[[], object], message: str) -> bool:
    """Whether a posted, valid form was saved by `save`; a refusal is shown on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except ApplicationError as refused:
        form.add_service_errors(refused)
        return False
    messages.success(request, message)
    return True


@login_required
def education_home(request: HttpRequest) -> HttpResponse:
    """A trust goes to its own capacity, a system's user to its plan, the rest choose."""
    user = request.user
    if user.role == Role.TRUST_UPLOADER:
        return redirect("education-capacity", org_code=user.organisation.code)
    if user.ics_id is not None:
        return redirect("education-plan", ics_code=user.ics.code)
    return render(request, "education/choose_system.html", {"systems": systems_for_home(user=user)})


@login_required
def plan(request: HttpRequest, ics_code: str) -> HttpResponse:
    ics = get_object_or_404(systems_in_scope(request.user), code=ics_code.upper())
    return render(
        request,
        "education/plan.html",
        {"plan": selectors.three_year_plan(ics=ics), "can_edit": can_plan_for(request.user, ics)},
    )


@login_required
def intake_edit(request: HttpRequest, ics_code: str, programme_code: str) -> HttpResponse:
    ics = get_object_or_404(systems_in_scope(request.user), code=ics_code.upper())
    if not can_plan_for(request.user, ics):
        raise PermissionDenied("Only the system's ICB lead may change its plan.")
    programme = get_object_or_404(Programme, code=programme_code.upper())
    years = selectors.intake_form_years()
    current = selectors.intake_places_by_year(ics=ics, programme=programme, years=years)
    form = PlacesForm(
        request.POST or None,
        years=years,
        recorded=set(current),
        what="Planned places",
        initial={f"places_{year}": places for year, places in current.items()},
    )
    if _saved(
        request,
        form,
        lambda: services.intake_plan_update(
            user=request.user, ics=ics, programme=programme, planned_places=form.places()
        ),
        f"The planned intake of {programme.name} is saved.",
    ):
        return redirect("education-plan", ics_code=ics.code)
    return render(
        request,
        "education/intake_edit.html",
        {"ics": ics, "programme": programme, "form": form},
    )


def _organisation(request: HttpRequest, org_code: str, *, to_change: bool = False):
    organisation = get_object_or_404(organisations_in_scope(request.user), code=org_code.upper())
    if to_change and not can_submit_for(request.user, organisation):
        raise PermissionDenied("Only the organisation and its ICB lead may change its figures.")
    return organisation


@login_required
def capacity(request: HttpRequest, org_code: str) -> HttpResponse:
    organisation = _organisation(request, org_code)
    return render(
        request,
        "education/capacity.html",
        {
            "capacity": selectors.organisation_capacity(organisation=organisation),
            "can_edit": can_submit_for(request.user, organisation),
            "programmes": Programme.objects.all(),
            "sector_labels": SECTOR_LABELS,
        },
    )


@login_required
def placement_edit(request: HttpRequest, org_code: str) -> HttpResponse:
    organisation = _organisation(request, org_code, to_change=True)
    code = (request.POST.get("programme") or request.GET.get("programme") or "").upper()
    programme = get_object_or_404(Programme, code=code)
    sector = request.POST.get("sector") or request.GET.get("sector") or ""
    sector = sector or default_sector(organisation.kind) or ""
    if sector not in sectors_for_kind(organisation.kind):
        raise Http404("The organisation offers no placements in that sector.")
    years = selectors.editable_years()
    current = selectors.placement_places_by_year(
        organisation=organisation, programme=programme, sector=sector, years=years
    )
    form = PlacesForm(
        request.POST or None,
        years=years,
        recorded=set(current),
        what="Placement places",
        initial={f"places_{year}": places for year, places in current.items()},
    )
    if _saved(
        request,
        form,
        lambda: services.placement_plan_update(
            user=request.user,
            organisation=organisation,
            programme=programme,
            sector=sector,
            places=form.places(),
        ),
        f"The placement places for {programme.name} ({SECTOR_LABELS[sector].lower()}) are saved.",
    ):
        return redirect("education-capacity", org_code=organisation.code)
    return render(
        request,
        "education/placement_edit.html",
        {
            "organisation": organisation,
            "programme": programme,
            "sector": sector,
            "sector_label": SECTOR_LABELS[sector],
            "form": form,
        },
    )


@login_required
def educator_edit(request: HttpRequest, org_code: str) -> HttpResponse:
    organisation = _organisation(request, org_code, to_change=True)
    years = selectors.editable_years()
    current = selectors.educators_by_year(organisation=organisation, years=years)
    initial = {}
    for year, record in current.items():
        initial[f"fte_{year}"] = record.educator_fte
        initial[f"per_educator_{year}"] = record.students_per_educator
    form = EducatorsForm(request.POST or None, years=years, recorded=set(current), initial=initial)
    if _saved(
        request,
        form,
        lambda: services.educator_plan_update(
            user=request.user, organisation=organisation, figures=form.figures()
        ),
        "The practice educator figures are saved.",
    ):
        return redirect("education-capacity", org_code=organisation.code)
    return render(
        request, "education/educator_edit.html", {"organisation": organisation, "form": form}
    )
