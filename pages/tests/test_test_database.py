"""The suite's own promise about its database (pages/tests/databases.py): what a transactional
test wrote is gone before the next test, which finds the database as the migrations left it, as
a test in a transaction does."""

import pytest
from django.contrib.auth.models import Group
from django.test import TransactionTestCase
from wagtail.models import Locale, Page, Site

from pages.editorial.roles import ROLES


def what_the_migrations_write():
    return {
        "groups": set(Group.objects.values_list("name", flat=True)),
        "pages": set(Page.objects.values_list("url_path", flat=True)),
        "sites": Site.objects.count(),
        "locales": set(Locale.objects.values_list("language_code", flat=True)),
    }


@pytest.mark.django_db(transaction=True)
def test_a_transactional_tests_teardown_leaves_the_database_as_the_migrations_left_it():
    migrated = what_the_migrations_write()
    assert set(ROLES) <= migrated["groups"] and migrated["pages"] and migrated["sites"] == 1

    Group.objects.create(name="Left behind")
    Site.objects.all().delete()
    Page.objects.filter(depth__gt=1).delete()

    # What pytest-django runs after every transactional test.
    TransactionTestCase(methodName="__init__")._fixture_teardown()

    assert not Group.objects.filter(name="Left behind").exists()
    assert what_the_migrations_write() == migrated
