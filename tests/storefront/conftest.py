import pytest
from django.core.cache import cache

from orders.catalogue import seed_offers
from orders.models import Offer
from storefront.legal_content import seed_legal_pages
from storefront.models import LegalPage


@pytest.fixture
def legal_pages(db):
    """The pages the data migration seeds (tests build the database from the models)."""
    seed_legal_pages(LegalPage)
    return {page.slug: page for page in LegalPage.objects.all()}


@pytest.fixture
def catalogue(db):
    seed_offers(Offer)
    return Offer.objects.all()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()
