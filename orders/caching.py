"""The landing page, cached as a whole page (the same for every visitor but for the CSRF token of the footer's
language form): rebuilt once an offer or an expert has changed, through one "catalogue" generation retired on
commit (lumira/view_cache.py explains why that is never stale). Saves and deletions retire it here;
`experts.services.expert_set_active`, which updates without saving, retires it itself."""

from accounts.models import Expert
from lumira.view_cache import on_save_and_delete, retire

from .models import Offer

CATALOGUE_GENERATION = "catalogue"


def _catalogue_changed(sender, **kwargs) -> None:
    retire(CATALOGUE_GENERATION)  # on commit


def connect() -> None:
    on_save_and_delete(_catalogue_changed, Offer, "landing-cache-offer")
    on_save_and_delete(_catalogue_changed, Expert, "landing-cache-expert")
