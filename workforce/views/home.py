from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import can_plan_for
from core.selectors.reference import organisations_for_home, systems_for_home
from workforce.selectors.chasing import home_chasing


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organisations = organisations_for_home(user=request.user)
    chasing = home_chasing(user=request.user)
    return render(
        request,
        "workforce/home.html",
        {
            "systems": systems_for_home(user=request.user),
            "organisations": organisations[:200],
            "organisations_total": organisations.count(),
            "chasing": chasing,
            "can_sign_off": chasing is not None and can_plan_for(request.user, chasing.ics),
        },
    )
