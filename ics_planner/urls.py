from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("ics_planner.api")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("education/", include("education.urls")),
    path("", include("core.urls")),
    path("", include("workforce.urls")),
]
