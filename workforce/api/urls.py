"""The API under /api/v1/: every resource registers here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import auth, planning, reference, scenarios

router = DefaultRouter()
router.register("regions", reference.RegionViewSet, basename="region")
router.register("systems", reference.SystemViewSet, basename="system")
router.register("organisations", reference.OrganisationViewSet, basename="organisation")
router.register("staff-groups", reference.StaffGroupViewSet, basename="staff-group")
router.register("targets", planning.PlanTargetViewSet, basename="target")
router.register("scenarios", scenarios.ScenarioViewSet, basename="scenario")

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
