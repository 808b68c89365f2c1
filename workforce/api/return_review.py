"""A return's review: `POST /api/v1/returns/{id}/confirm/` (its organisation's users),
`POST .../accept/` (the system's ICB lead or a national administrator, with a comment), and
`GET, POST .../comments/`. A return outside your scope, or of another system for an
acceptance, is a 404; a step you may not take, a 403."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error_responses
from workforce.models import ReturnComment, StaffingReturn
from workforce.selectors import returns as selectors
from workforce.selectors.return_review import return_comments
from workforce.services.return_review import (
    TEXT_LIMIT,
    of_own_system,
    return_accept,
    return_comment_add,
    return_confirm,
)

from .returns import ReturnSerializer


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")

    class Meta:
        model = ReturnComment
        fields = ["id", "author", "kind", "text", "created"]


class CommentListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    results = CommentSerializer(many=True)


class Text(serializers.CharField):
    """Words, not a number or a list: DRF's CharField would take 0 as "0"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError("Give the comment as text.")
        return super().to_internal_value(data)


class TextSerializer(serializers.Serializer):
    """Read as given: the service says what is wrong with an empty or long comment."""

    comment = Text(
        required=False, allow_blank=True, trim_whitespace=False, help_text=f"At most {TEXT_LIMIT}."
    )


class CommentInSerializer(serializers.Serializer):
    text = Text(
        required=False, allow_blank=True, trim_whitespace=False, help_text=f"At most {TEXT_LIMIT}."
    )


def _return(request, pk: int, *, same_system: bool = False) -> StaffingReturn:
    found = selectors.return_get(user=request.user, pk=pk)
    if found is None or (same_system and not of_own_system(request.user, found)):
        raise NotFound("No such return in your scope.")
    return found


def _answer(request, staffing_return: StaffingReturn, done: bool) -> Response:
    shown = selectors.return_get(user=request.user, pk=staffing_return.pk)
    return Response(
        ReturnSerializer(shown).data, status=status.HTTP_201_CREATED if done else status.HTTP_200_OK
    )


class ReturnConfirmView(APIView):
    @extend_schema(
        summary="Confirm a return for review: its figures stand as sent (its organisation's "
        "users).",
        description="201 when confirmed now, 200 when it was already. Runs use it from then on.",
        request=TextSerializer,
        responses={201: ReturnSerializer, 200: ReturnSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, pk: str):
        staffing_return = _return(request, int(pk))
        body = TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _, done = return_confirm(
            user=request.user,
            staffing_return=staffing_return,
            comment=body.validated_data.get("comment", ""),
        )
        return _answer(request, staffing_return, done)


class ReturnAcceptView(APIView):
    @extend_schema(
        summary="Accept a return for review, with a comment (the ICB lead of its system or a "
        "national administrator).",
        description="201 when accepted now, 200 when it was already. Runs use it from then on.",
        request=TextSerializer,
        responses={201: ReturnSerializer, 200: ReturnSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, pk: str):
        staffing_return = _return(request, int(pk), same_system=True)
        body = TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _, done = return_accept(
            user=request.user,
            staffing_return=staffing_return,
            comment=body.validated_data.get("comment", ""),
        )
        return _answer(request, staffing_return, done)


class ReturnCommentsView(APIView):
    @extend_schema(
        summary="The comments kept with a return, the oldest first.",
        responses={200: CommentListSerializer, **error_responses(404)},
    )
    def get(self, request, pk: str):
        comments = return_comments(staffing_return=_return(request, int(pk)))
        data = CommentSerializer(comments, many=True).data
        return Response({"count": len(data), "next": None, "results": data})

    @extend_schema(
        summary="Add a comment to a return: a query about its figures, or the answer.",
        request=CommentInSerializer,
        responses={201: CommentSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, pk: str):
        staffing_return = _return(request, int(pk))
        body = CommentInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = return_comment_add(
            user=request.user,
            staffing_return=staffing_return,
            text=body.validated_data.get("text", ""),
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
