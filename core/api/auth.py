"""API tokens.

`POST /api/v1/auth/token/` with a username and password returns a token (sign-in throttled
by django-axes, like the login page). A signed-in user lists, creates and revokes their own
tokens at `/api/v1/auth/tokens/`; a token is shown once, when it is created.
"""

from __future__ import annotations

from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import extend_schema, extend_schema_view
from knox.models import AuthToken
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from core.errors import ApplicationError
from core.security import lockout_message
from core.services.tokens import api_token_create, api_token_revoke, api_tokens_of

from .schema import error_responses


class LoginThrottle(AnonRateThrottle):
    scope = "login"
    rate = "20/minute"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=4096, style={"input_type": "password"}, trim_whitespace=False
    )


class TokenSerializer(serializers.ModelSerializer):
    """A token as listed: never the token itself."""

    id = serializers.CharField(
        source="token_key", help_text="The token's first characters: enough to tell it apart."
    )

    class Meta:
        model = AuthToken
        fields = ["id", "created", "expiry"]


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(help_text="Shown this once: keep it somewhere safe.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


def _shown(token: AuthToken, key: str) -> Response:
    data = {**TokenSerializer(token).data, "token": key}
    return Response(data, status=status.HTTP_201_CREATED)


class TokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        summary="Sign in with a username and password: a new API token, shown this once.",
        request=TokenRequestSerializer,
        responses={201: NewTokenSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        given = TokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        # The Django request, where django-axes counts failures and marks a lockout.
        http_request = request._request
        user = authenticate(
            http_request,
            username=given.validated_data["username"],
            password=given.validated_data["password"],
        )
        if getattr(http_request, "axes_locked_out", False):
            raise ApplicationError(lockout_message(http_request), status_code=429)
        if user is None:
            raise ApplicationError("Unknown username or wrong password.", status_code=401)
        shown = _shown(*api_token_create(user=user))
        # As a sign-in on the login page: the last login is noted and django-axes forgets
        # the failures before it.
        user_logged_in.send(sender=type(user), request=http_request, user=user)
        return shown


@extend_schema_view(
    list=extend_schema(summary="Your API tokens that still work (never the tokens themselves)."),
    create=extend_schema(
        summary="A new API token for you, shown this once (400 at the most a user may hold).",
        request=None,
        responses={201: NewTokenSerializer, **error_responses(400)},
    ),
    destroy=extend_schema(
        summary="Revoke one of your API tokens: it stops working at once.",
        responses={204: None},
    ),
)
class TokenViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TokenSerializer
    lookup_field = "token_key"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9a-zA-Z_-]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return AuthToken.objects.none()
        return api_tokens_of(user=self.request.user)

    def create(self, request: Request, *args, **kwargs) -> Response:
        return _shown(*api_token_create(user=request.user))

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        api_token_revoke(user=request.user, token_id=kwargs["id"])
        return Response(status=status.HTTP_204_NO_CONTENT)
