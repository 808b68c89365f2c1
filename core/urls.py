"""The pages every part shares: health, API tokens and the audit trail."""

from django.urls import path

from .views import account, audit, health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("account/tokens/", account.api_tokens, name="api-tokens"),
    path(
        "account/tokens/<str:token_id>/revoke/",
        account.api_token_revoke_page,
        name="api-token-revoke",
    ),
    path("audit/", audit.audit_trail, name="audit-trail"),
]
