"""The programme catalogue joins the reference data loaded once into the test database."""

import pytest

from education.services import programmes_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        programmes_load()
