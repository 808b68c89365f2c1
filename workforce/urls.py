"""Browser pages."""

from django.urls import path

from .views import backtests, dashboards, home, months, peers, planning, returns, runs

urlpatterns = [
    path("", home.home, name="home"),
    path("returns/", returns.returns_list, name="returns"),
    path("returns/upload/", returns.returns_upload, name="return-upload"),
    path("returns/tracker/", returns.returns_tracker, name="return-tracker"),
    path(
        "returns/tracker/<str:code>/<str:month>/sign-off/",
        months.month_sign_off_page,
        name="return-tracker-sign-off",
    ),
    path("returns/<int:pk>/", returns.return_detail, name="return-detail"),
    path("returns/<int:pk>/file/", returns.return_file, name="return-file"),
    path("scenarios/", planning.scenario_list, name="scenarios"),
    path("scenarios/<int:pk>/", planning.scenario_detail, name="scenario-detail"),
    path("scenarios/<int:pk>/copy/", planning.scenario_copy_page, name="scenario-copy"),
    path("scenarios/<int:pk>/edit/", planning.scenario_edit_page, name="scenario-edit"),
    path(
        "scenarios/<int:pk>/archive/",
        planning.scenario_standing,
        {"change": "archive"},
        name="scenario-archive",
    ),
    path(
        "scenarios/<int:pk>/unarchive/",
        planning.scenario_standing,
        {"change": "unarchive"},
        name="scenario-unarchive",
    ),
    path(
        "scenarios/<int:pk>/central/",
        planning.scenario_standing,
        {"change": "central"},
        name="scenario-central",
    ),
    path(
        "scenarios/<int:pk>/backtests/",
        backtests.backtest_start_page,
        name="scenario-backtest-start",
    ),
    path("backtests/<int:pk>/", backtests.backtest_detail, name="backtest-detail"),
    path("targets/", planning.targets_home, name="targets-home"),
    path("targets/<str:code>/", planning.targets_page, name="targets"),
    path("targets/<str:code>/add/", planning.target_edit, name="target-add"),
    path("targets/<str:code>/<int:pk>/", planning.target_edit, name="target-edit"),
    path("targets/<str:code>/<int:pk>/delete/", planning.target_delete, name="target-delete"),
    path("targets/<str:code>/import/", planning.targets_import_page, name="targets-import"),
    path("targets/<str:code>/export.csv", planning.targets_export, name="targets-export"),
    path("dashboards/", dashboards.dashboards_home, name="dashboards"),
    path("systems/<str:code>/dashboard/", dashboards.system_dashboard, name="system-dashboard"),
    path(
        "systems/<str:code>/dashboard/what-it-takes/",
        dashboards.what_it_takes,
        name="what-it-takes",
    ),
    path("systems/<str:code>/dashboard/peers/", peers.peers_card, name="system-peers-card"),
    path(
        "systems/<str:code>/dashboard/<slug:chart>.<str:fmt>",
        dashboards.system_chart_data,
        name="system-dashboard-data",
    ),
    path("systems/<str:code>/runs/", runs.run_start, name="system-run-start"),
    path(
        "systems/<str:code>/runs/<int:pk>/progress/",
        runs.run_progress,
        name="system-run-progress",
    ),
    path("systems/<str:code>/compare/", dashboards.scenario_compare, name="scenario-compare"),
    path(
        "systems/<str:code>/compare/<slug:chart>.<str:fmt>",
        dashboards.compare_chart_data,
        name="scenario-compare-data",
    ),
    path("national/", dashboards.national, name="national"),
    path("national/runs/", runs.national_run_start, name="national-run-start"),
    path("national/runs/<int:pk>/progress/", runs.run_progress, name="national-run-progress"),
    path(
        "national/data/<slug:chart>.<str:fmt>",
        dashboards.national_chart_data,
        name="national-data",
    ),
]
