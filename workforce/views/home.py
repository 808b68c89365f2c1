from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from workforce import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_for_home(user=request.user)
    return render(
        request,
        "workforce/home.html",
        {
            "systems": selectors.systems_for_home(user=request.user),
            "organisations": organisations[:200],
            "organisations_total": organisations.count(),
        },
    )
