"""The backtest page: how the bands held, by staff group and horizon, and each baseline's
band against what happened; and starting one from a scenario's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.calendar import parse_month
from core.errors import ApplicationError
from workforce.charts.backtests import backtest_bands_chart
from workforce.models import Backtest
from workforce.selectors import planning as selectors
from workforce.selectors.backtests import backtest_for
from workforce.selectors.dashboards_results import staff_group_labels
from workforce.services.backtests import backtest_start


@login_required
def backtest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    backtest = backtest_for(request.user, pk)
    if backtest is None:
        raise Http404("No such backtest.")
    groups = list(dict.fromkeys(row["staff_group"] for row in backtest.results))
    chosen = request.GET.get("staff_group") or ("NUR" if "NUR" in groups else None)
    chosen = chosen if chosen in groups else (groups[0] if groups else None)
    return render(
        request,
        "workforce/backtests/detail.html",
        {
            "backtest": backtest,
            "succeeded": backtest.status == Backtest.Status.SUCCEEDED,
            "results": backtest.results,
            "groups": groups,
            "chosen": chosen,
            "chart": backtest_bands_chart(backtest.bands, chosen) if chosen else None,
            "names": {label.code: label.name for label in staff_group_labels()},
        },
    )


@login_required
@require_POST
def backtest_start_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a backtest of the scenario (its system's, or national) from its page."""
    scenario = get_object_or_404(selectors.scenarios_visible(user=request.user), pk=pk)
    try:
        horizon = int(request.POST.get("horizon", ""))
        first = parse_month(request.POST.get("first_baseline", ""))
        last = parse_month(request.POST.get("last_baseline", ""))
        backtest = backtest_start(
            user=request.user,
            scenario=scenario,
            ics=scenario.ics,
            first_baseline=first,
            last_baseline=last,
            horizon=horizon,
        )
    except ValueError as error:
        return _refused(request, scenario, str(error) or "Give whole years and YYYY-MM months.")
    except ApplicationError as error:
        if error.status_code == 403:
            raise PermissionDenied(str(error)) from error
        return _refused(request, scenario, str(error))
    return redirect("backtest-detail", pk=backtest.pk)


def _refused(request: HttpRequest, scenario, message: str) -> HttpResponse:
    return render(
        request,
        "workforce/backtests/refused.html",
        {"scenario": scenario, "message": message},
        status=400,
    )
