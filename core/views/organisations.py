"""A system's organisations by kind, and the form that adds a social care, independent or
sector organisation to it (national administrators and the system's ICB lead)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode

from core.access import can_plan_for, systems_in_scope
from core.errors import ApplicationError, OutOfScope
from core.models import ICS
from core.selectors.reference import organisations_of_system, shares_of_system
from core.services.organisations import ADDABLE_KINDS, organisation_create


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k.value, k.label) for k in ADDABLE_KINDS])
    sector = forms.BooleanField(
        required=False,
        label="A sector organisation",
        help_text="Stands for the system's providers of this kind that send no figures one by "
        "one; its code is the system's and SC or IV (QKK-SC).",
    )
    code = forms.CharField(
        required=False,
        max_length=200,
        help_text="At most 8 letters, digits or hyphens; leave empty for a sector organisation.",
    )
    name = forms.CharField(max_length=1000)


def _chosen_system(request: HttpRequest) -> ICS | None:
    """The system asked for (`ics`), the user's own by default. A page of another system is
    404; a write to one is refused by `organisations_page` (403), as every write is."""
    user = request.user
    code = ((request.POST if request.method == "POST" else request.GET).get("ics") or "").strip()
    if not code:
        return user.ics if user.ics_id and not user.is_national else None
    found = ICS.objects if request.method == "POST" else systems_in_scope(user)
    ics = found.filter(code__iexact=code).first()
    if ics is None:
        raise Http404("No system in your scope has that code.")
    return ics


@login_required
def organisations_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    ics = _chosen_system(request)
    may_add = ics is not None and can_plan_for(user, ics) and ics.is_valid_on(timezone.localdate())
    form = OrganisationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if ics is None or not can_plan_for(user, ics):
            raise PermissionDenied("Only the system's ICB lead adds its organisations.")
        if form.is_valid():
            try:
                organisation = organisation_create(user=user, ics=ics, **form.cleaned_data)
            except OutOfScope as refused:
                raise PermissionDenied(str(refused)) from refused
            except ApplicationError as problem:
                for error in problem.errors:
                    field = error.get("field")
                    form.add_error(field if field in form.fields else None, error["message"])
            else:
                query = urlencode({"ics": ics.code, "added": organisation.code})
                return redirect(f"{request.path}?{query}")
        status = 400
    return render(
        request,
        "core/organisations/list.html",
        {
            "ics": ics,
            "systems": systems_in_scope(user).valid_on(timezone.localdate()).order_by("name")
            if user.is_national
            else None,
            "by_kind": organisations_of_system(user=user, ics=ics) if ics else {},
            "shares": shares_of_system(ics=ics) if ics else [],
            "form": form if may_add else None,
            "added": request.GET.get("added", ""),
        },
        status=status,
    )
