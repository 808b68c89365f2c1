"""Browser pages."""

from django.urls import path

from .views import home, planning

urlpatterns = [
    path("", home.home, name="home"),
    path("scenarios/", planning.scenario_list, name="scenarios"),
    path("scenarios/<int:pk>/", planning.scenario_detail, name="scenario-detail"),
    path("scenarios/<int:pk>/copy/", planning.scenario_copy_page, name="scenario-copy"),
    path("targets/", planning.targets_home, name="targets-home"),
    path("targets/<str:code>/", planning.targets_page, name="targets"),
    path("targets/<str:code>/add/", planning.target_edit, name="target-add"),
    path("targets/<str:code>/<int:pk>/", planning.target_edit, name="target-edit"),
    path("targets/<str:code>/<int:pk>/delete/", planning.target_delete, name="target-delete"),
    path("targets/<str:code>/import/", planning.targets_import_page, name="targets-import"),
    path("targets/<str:code>/export.csv", planning.targets_export, name="targets-export"),
]
