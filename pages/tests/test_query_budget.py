"""Every public page costs a fixed number of SQL queries, however many initiatives the site has.

The budgets are for an uncached render (the page cache comes with the production work). They are
exact for today's templates: lower them when a change saves a query, never raise them quietly."""

import pytest

from conftest import build_initiatives

pytestmark = pytest.mark.django_db

BUDGETS = {
    "/": 14,
    "/initiatives/": 14,
    "/initiatives/initiative-1/": 13,
    "/impact/": 12,
    "/contact/": 13,
    "/about/": 11,
    "/no-such-page/": 8,
}


@pytest.mark.parametrize("extra_initiatives", [0, 40], ids=["3 initiatives", "43 initiatives"])
@pytest.mark.parametrize("url", list(BUDGETS))
def test_page_stays_within_its_query_budget(
    client, site_tree, contacts, feature, django_assert_max_num_queries, url, extra_initiatives
):
    build_initiatives(site_tree.index, extra_initiatives, start=100)
    if extra_initiatives:
        feature(site_tree.home, *site_tree.initiatives)
    with django_assert_max_num_queries(BUDGETS[url]):
        response = client.get(url)
    assert response.status_code in (200, 404)
