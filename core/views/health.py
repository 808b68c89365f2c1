from celery import current_app
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.health import health_report


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """No sign-in: container health checks and monitoring call it. 503 when not healthy."""
    report = health_report(current_app)
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
