"""A ZIP archive of returns through the API: `POST /returns/archive/` (docs/api.md, "Many
returns at once")."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import JSONForErrors
from core.api.schema import ErrorResponseSerializer as ErrorsSerializer
from workforce.models import StaffingReturn
from workforce.selectors import returns as selectors
from workforce.services.return_archive import archive_files, staffing_returns_submit_archive
from workforce.services.returns import upload_read

from .returns import ERRORS, ReturnSerializer


class ArchiveSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A ZIP archive of returns, one file per organisation and month, each named "
        "CODE_YYYY-MM.csv or CODE_YYYY-MM.xlsx (e.g. RXY_2026-09.csv)."
    )


class ArchivedReturnSerializer(ReturnSerializer):
    file = serializers.SerializerMethodField(help_text="Its file's name in the archive.")
    duplicate = serializers.SerializerMethodField(
        help_text="True when the file was the current version's already: nothing was stored."
    )

    class Meta(ReturnSerializer.Meta):
        fields = ["file", *ReturnSerializer.Meta.fields, "duplicate"]

    def get_file(self, staffing_return: StaffingReturn) -> str:
        return self.context["files"][staffing_return.pk]

    def get_duplicate(self, staffing_return: StaffingReturn) -> bool:
        return staffing_return.pk in self.context["duplicates"]


class ArchiveResultSerializer(serializers.Serializer):
    stored = serializers.IntegerField(help_text="Returns stored as new versions.")
    duplicates = serializers.IntegerField(help_text="Files the same as the current version.")
    returns = ArchivedReturnSerializer(many=True, help_text="In the archive's order.")


class ReturnArchiveView(APIView):
    content_negotiation_class = JSONForErrors
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Upload a ZIP archive of returns (multipart): all stored, or none.",
        description="Each file in the archive is one organisation's return for one month, "
        "named CODE_YYYY-MM.csv or .xlsx, checked as a single upload is. Every problem in "
        "every file is listed with its `file`, and then nothing is stored. Otherwise each "
        "becomes the next version of its month (or nothing, when it is the same as the "
        "current version), in one transaction.",
        request={"multipart/form-data": ArchiveSerializer},
        responses={
            201: OpenApiResponse(ArchiveResultSerializer, description="Stored."),
            200: OpenApiResponse(
                ArchiveResultSerializer,
                description="Every file the same as its current version: nothing stored.",
            ),
            400: ERRORS,
            403: OpenApiResponse(ErrorsSerializer, description="Outside your scope."),
        },
    )
    def post(self, request):
        given = ArchiveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        content = upload_read(given.validated_data["file"], settings.RETURN_ARCHIVE_MAX_BYTES)
        results = staffing_returns_submit_archive(user=request.user, content=content)
        shown = selectors.archived_returns(user=request.user, files=archive_files(results))
        context = {
            "files": {item.pk: name for name, item, _created in shown},
            "duplicates": {item.pk for _name, item, created in shown if not created},
        }
        duplicates = len(context["duplicates"])
        data = {
            "stored": len(shown) - duplicates,
            "duplicates": duplicates,
            "returns": ArchivedReturnSerializer(
                [item for _name, item, _created in shown], many=True, context=context
            ).data,
        }
        return Response(data, status=201 if duplicates < len(shown) else 200)
