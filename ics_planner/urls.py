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

# JSON in the API's one error shape under /api/, the HTML pages elsewhere.
handler400 = "core.api.errors.bad_request"
handler403 = "core.api.errors.permission_denied"
handler404 = "core.api.errors.page_not_found"
handler500 = "core.api.errors.server_error"
