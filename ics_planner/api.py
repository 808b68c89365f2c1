"""The API under /api/v1/: every app's resources register here, so no app imports another's."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from core.api import audit, auth, published_figures, reference
from core.api.schema import ID_PATTERN
from education.api import ROUTES as EDUCATION_ROUTES
from workforce.api import (
    backtests,
    months,
    peers,
    planning,
    return_archive,
    return_review,
    returns,
    runs,
    scenarios,
)


class Router(DefaultRouter):
    """The API's router, without DRF's format suffixes (`/targets/1.json/`): the API answers
    JSON only, and a suffix route reads `/returns/0.5/` as id 0 in format "5", which the
    views do not take (a TypeError, 500). Without it an id that is not a number matches no
    route and is a 404 in the one error shape (`core.api.errors.page_not_found`)."""

    include_format_suffixes = False

    def get_lookup_regex(self, viewset, lookup_prefix: str = "") -> str:
        # Every object looked up by id takes digits only, at most 19 (as many as the largest
        # bigint has), so no view meets an id it cannot read as a number.
        if getattr(viewset, "lookup_field", "pk") == "pk":
            return f"(?P<{lookup_prefix}pk>{ID_PATTERN})"
        return super().get_lookup_regex(viewset, lookup_prefix)


router = Router()
router.register("regions", reference.RegionViewSet, basename="region")
router.register("systems", reference.SystemViewSet, basename="system")
router.register("organisations", reference.OrganisationViewSet, basename="organisation")
router.register("staff-groups", reference.StaffGroupViewSet, basename="staff-group")
router.register(
    "published-figures", published_figures.PublishedFigureViewSet, basename="published-figure"
)
router.register("returns", returns.ReturnViewSet, basename="return")
router.register("workforce", returns.WorkforceFigureViewSet, basename="workforce-figure")
router.register("runs", runs.RunViewSet, basename="run")
router.register("backtests", backtests.BacktestViewSet, basename="backtest")
router.register("targets", planning.PlanTargetViewSet, basename="target")
router.register("scenarios", scenarios.ScenarioViewSet, basename="scenario")
for prefix, viewset, basename in EDUCATION_ROUTES:
    router.register(prefix, viewset, basename=basename)
router.register("auth/tokens", auth.TokenViewSet, basename="api-tokens")
router.register("audit", audit.AuditEntryViewSet, basename="audit-entry")

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("systems/<str:code>/peers/", peers.SystemPeersView.as_view(), name="system-peers"),
    path("systems/<str:code>/months/", months.SystemMonthsView.as_view(), name="system-months"),
    path(
        "systems/<str:code>/months/<str:month>/sign-off/",
        months.MonthSignOffView.as_view(),
        name="system-month-sign-off",
    ),
    path("returns/archive/", return_archive.ReturnArchiveView.as_view(), name="return-archive"),
    re_path(
        rf"^returns/(?P<pk>{ID_PATTERN})/confirm/$",
        return_review.ReturnConfirmView.as_view(),
        name="return-confirm",
    ),
    re_path(
        rf"^returns/(?P<pk>{ID_PATTERN})/accept/$",
        return_review.ReturnAcceptView.as_view(),
        name="return-accept",
    ),
    re_path(
        rf"^returns/(?P<pk>{ID_PATTERN})/comments/$",
        return_review.ReturnCommentsView.as_view(),
        name="return-comments",
    ),
    path("", include(router.urls)),
]
