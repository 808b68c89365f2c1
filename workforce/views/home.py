from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.selectors.reference import organisations_for_home, systems_for_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organisations = organisations_for_home(user=request.user)
    return render(
        request,
        "workforce/home.html",
        {
            "systems": systems_for_home(user=request.user),
            "organisations": organisations[:200],
            "organisations_total": organisations.count(),
        },
    )
