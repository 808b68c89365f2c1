"""The pages every part shares: health, API tokens, the audit trail, organisations and the
methods pages."""

from django.urls import path

from .views import account, audit, health, methods, organisations

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("account/tokens/", account.api_tokens, name="api-tokens"),
    path(
        "account/tokens/<str:token_id>/revoke/",
        account.api_token_revoke_page,
        name="api-token-revoke",
    ),
    path("audit/", audit.audit_trail, name="audit-trail"),
    path("organisations/", organisations.organisations_page, name="organisations"),
    path("methods/", methods.methods, name="methods"),
    path("methods/glossary/", methods.glossary, name="glossary"),
    path("methods/api/", methods.api_guide, name="api-guide"),
]
