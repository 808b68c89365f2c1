"""Sign-in limits: django-axes' per username and address, and one per address alone.

django-axes locks a username tried from one address after LOGIN_FAILURE_LIMIT failures. An
address trying many usernames, a few times each, never meets that limit, so this handler
adds a second: LOGIN_ADDRESS_FAILURE_LIMIT failures from one address, for any usernames,
within LOGIN_LOCKOUT_MINUTES lock that address out. Both are counted from the attempts
django-axes already keeps in the database, so every web process sees the same count, and
both answer the same way (429, core.security.lockout_response) on the login page, the admin
login and the API's token endpoint.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the lockout time, any usernames."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_locked(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


class AddressLimitedHandler(AxesDatabaseHandler):
    """django-axes' database handler, also locking an address over the per-address limit."""

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if address_locked(request):
            request.axes_address_locked = True
            return True
        return False

    def user_login_failed(
        self, sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        # The failure that reaches the address's limit is answered as a lockout already,
        # as django-axes answers the one that reaches a username's.
        if request is not None and not request.axes_locked_out and address_locked(request):
            request.axes_locked_out = True
            request.axes_address_locked = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=None, ip_address=request.axes_ip_address
            )
