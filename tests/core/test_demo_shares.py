"""The demo's London Ambulance Service, shared across London by registered patients."""

import io
from decimal import Decimal

import pytest

from core.demo import shares
from core.models import ICS, Organisation, OrganisationShare, RegisteredPatients, valid_on_q

pytestmark = pytest.mark.django_db


def _register(ics_code: str, patients: int) -> None:
    ics = ICS.objects.get(code=ics_code)
    practice = Organisation.objects.filter(
        valid_on_q(shares.SHARES_FROM, "memberships__"),
        memberships__ics=ics,
        kind=Organisation.Kind.GP_PRACTICE,
    ).first()
    RegisteredPatients.objects.create(
        organisation=practice, financial_year=shares.PATIENTS_YEAR, patients=patients, source="t"
    )


def test_each_london_system_counts_its_share_of_patients_and_the_shares_add_to_one(db):
    for code, patients in {"QKK": 3000, "QMF": 3000, "QWE": 1000, "Z9B2Z": 2000}.items():
        _register(code, patients)
    shares.seed(io.StringIO())
    found = {
        s.ics.code: s.share
        for s in OrganisationShare.objects.filter(organisation__code="RRU").select_related("ics")
    }
    assert found == {
        "QKK": Decimal("0.3334"),  # the host takes the rounding: 1/3 each to 4 places
        "QMF": Decimal("0.3333"),
        "QWE": Decimal("0.1111"),
        "Z9B2Z": Decimal("0.2222"),
    }
    assert sum(found.values()) == 1
    shares.seed(io.StringIO())  # seeding again adds nothing
    assert OrganisationShare.objects.count() == 4


def test_without_patient_counts_nothing_is_shared(db):
    out = io.StringIO()
    shares.seed(out)
    assert not OrganisationShare.objects.exists()
    assert "not shared" in out.getvalue()
