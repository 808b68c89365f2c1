"""Browser pages."""

from django.urls import path

from .views import account, audit, home, planning

urlpatterns = [
    path("", home.home, name="home"),
    path("account/tokens/", account.api_tokens, name="api-tokens"),
    path(
        "account/tokens/<str:token_id>/revoke/",
        account.api_token_revoke_page,
        name="api-token-revoke",
    ),
    path("audit/", audit.audit_trail, name="audit-trail"),
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
