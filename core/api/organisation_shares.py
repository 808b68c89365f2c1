"""An organisation's dated shares across the systems it serves, as the API shows and takes
them: `GET` and `POST /api/v1/organisations/{code}/shares/`."""

from __future__ import annotations

from rest_framework import serializers

from core.api.fields import CodeField, StrictSerializer
from core.models import ICS, OrganisationShare


class ShareSerializer(serializers.ModelSerializer):
    ics = serializers.SlugRelatedField(slug_field="code", read_only=True)
    share = serializers.FloatField()

    class Meta:
        model = OrganisationShare
        fields = ["ics", "share", "valid_from", "valid_to"]


class SharePartSerializer(StrictSerializer):
    ics = CodeField("system", queryset=ICS.objects.all())
    share = serializers.CharField(
        max_length=20, help_text="From 0 to 1, at most four decimal places: 0.4 for 40%."
    )


class SharesInputSerializer(StrictSerializer):
    valid_from = serializers.DateField(
        help_text="The first day of a month, after every set already recorded."
    )
    shares = SharePartSerializer(
        many=True,
        allow_empty=True,
        help_text="Each system the organisation counts in, its host among them, adding up to "
        "1; empty to count it wholly in its host again.",
    )
