"""The demo's targets size a system from its share of an organisation it shares."""

import datetime

import pytest

from core.models import ICS, OrganisationShare
from workforce.demo import planning

from .projection_data import publish

pytestmark = pytest.mark.django_db


def test_a_shared_trust_counts_in_each_system_by_its_share(cast):
    publish(cast.trust_a, {"NUR": 1000})
    publish(cast.trust_c, {"NUR": 500})
    for ics, share in ((cast.ics_x, "0.6"), (cast.ics_y, "0.4")):
        OrganisationShare.objects.create(
            organisation=cast.trust_a, ics=ics, share=share, valid_from=datetime.date(2026, 4, 1)
        )
    systems = list(ICS.objects.filter(code__in=["QKK", "QOP"]))
    fte = planning.system_fte(systems)
    assert fte[cast.ics_x.pk]["NUR"] == pytest.approx(600)
    assert fte[cast.ics_y.pk]["NUR"] == pytest.approx(900)
