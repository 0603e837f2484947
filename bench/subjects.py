"""The bench's subjects: accounts the seed creates by name, at every size, for the scenarios to pick.

The seed spreads N orders at random over the clients and experts; the scenarios must not depend on that
spread (at 1M orders no client has exactly one order). So the seed also creates these few accounts with
known e-mails and a known shape, and the scenarios look them up by e-mail.
"""

from __future__ import annotations

from django.apps import apps

# A returning client with many orders (their Sanctuaire dashboard) and a complete profile.
HEAVY_CLIENT = "bench-client-0@example.com"
# A client with exactly one order, delivered, and a complete profile: the dashboard's small variant.
LIGHT_CLIENT = "bench-client-1@example.com"
SUBJECT_CLIENTS = (HEAVY_CLIENT, LIGHT_CLIENT)
# A plain expert (sees own + unassigned orders) and an admin (sees every desk order).
DESK_EXPERT = "bench-expert-0@lumira.local"
ADMIN_EXPERT = "bench-expert-1@lumira.local"
EXPERT_PASSWORD = "bench-expert-password"


def model_named(name: str):
    """A model by class name, wherever its app is (the bench must not care which app owns Expert)."""
    return next(model for model in apps.get_models() if model.__name__ == name)
