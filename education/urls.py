"""The education pages, under /education/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.education_home, name="education-home"),
    path("plan/<str:ics_code>/", views.plan, name="education-plan"),
    path(
        "plan/<str:ics_code>/intakes/<str:programme_code>/",
        views.intake_edit,
        name="education-intake-edit",
    ),
    path("organisations/<str:org_code>/", views.capacity, name="education-capacity"),
    path(
        "organisations/<str:org_code>/placements/",
        views.placement_edit,
        name="education-placement-edit",
    ),
    path(
        "organisations/<str:org_code>/educators/",
        views.educator_edit,
        name="education-educator-edit",
    ),
]
