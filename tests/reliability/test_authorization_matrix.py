"""The authorization matrix: every URL of the site (the URLconf is walked, so a new URL without a row fails
here) × every persona, with the status code each must get. Nobody reaches what is not theirs: another
client's order, reading, PDF or photo is a 404; the desk and the expert API are closed to clients (403) and
to anyone signed out or deactivated (login redirect / 401); the admin is closed to all but staff.

Each persona is signed in both ways a browser or an API client would be: a session cookie (pages, desk,
admin) and a JWT in `Authorization` (the JSON APIs). Each row runs in a savepoint rolled back afterwards, so
rows do not see each other's effects (a take, an approval) and every row starts from the same world.
"""

import re
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.reliability.authorization import (
    ADMIN_ONLY,
    API_CLIENT_A_ONLY,
    API_CLIENTS_ONLY,
    API_EXPERTS,
    CLIENT_A_ONLY,
    CLIENTS_ONLY,
    DESK,
    PERSONAS,
    STAFF,
    Row,
    build_world,
    call,
    codes,
    same,
    signed_in,
    url,
)

# --- the table ------------------------------------------------------------------------------------------------
# Statuses: 200/201/202 done; 302 a redirect (to a login page when signed out); 400 refused input;
# 401 not signed in (API); 403 signed in but not allowed; 404 not there *for this persona*; 405 wrong method;
# 409 the order's state or holder forbids the action.

ROWS: dict[str, list[Row]] = {
    # Public pages and endpoints.
    "orders:landing": [Row("GET", url("orders:landing"), same(200))],
    # Birth-place suggestions for the public order page: no sign-in, no personal data (a gazetteer).
    "orders:api_places": [Row("GET", url("orders:api_places", query="?q=Lyon"), same(200))],
    "health": [Row("GET", url("health"), same(200))],
    # Prometheus' text format: staff sessions (experts are staff) or the METRICS_TOKEN bearer; others 404.
    "metrics": [Row("GET", url("metrics"), codes(404, 404, 404, 200, 200, 404, 200))],
    # A refused token is a 401 even on a public page (DRF authenticates the header it is given).
    "api-schema": [Row("GET", url("api-schema"), codes(200, 200, 200, 200, 200, 401, 200))],
    "api-docs": [Row("GET", url("api-docs"), codes(200, 200, 200, 200, 200, 401, 200))],
    "djstripe:djstripe_webhook_by_uuid": [  # no Stripe signature: refused, whoever sends it
        Row("POST", url("djstripe:djstripe_webhook_by_uuid", "ENDPOINT_UUID"), same(400),
            data={"id": "evt_x"}, json=True),
    ],
    # Sanctuaire pages (session): clients only, each their own; experts see an assigned client's photo.
    "sanctuaire:home": [Row("GET", url("sanctuaire:home"), CLIENTS_ONLY)],
    "sanctuaire:login": [Row("GET", url("sanctuaire:login"), codes(200, 302, 302, 200, 200, 200, 200))],
    "sanctuaire:link_sent": [Row("GET", url("sanctuaire:link_sent"), same(200))],
    # The link's URL only redirects to the same page without its token; that page refuses a forged one.
    "sanctuaire:magic_link": [Row("GET", url("sanctuaire:magic_link", query="?sesame=forged"), same(302)),
                              Row("GET", url("sanctuaire:magic_link"), same(400))],
    "sanctuaire:logout": [Row("POST", url("sanctuaire:logout"), same(302))],
    # Only the browser that paid (order id in its session) enters this way: everyone else goes to the login.
    "sanctuaire:enter_from_order": [Row("GET", url("sanctuaire:enter_from_order", "DONE_A"), same(302))],
    "sanctuaire:profile": [Row("GET", url("sanctuaire:profile"), CLIENTS_ONLY)],
    "sanctuaire:order_detail": [Row("GET", url("sanctuaire:order_detail", "DONE_A"), CLIENT_A_ONLY)],
    "sanctuaire:reading_detail": [Row("GET", url("sanctuaire:reading_detail", "DONE_A"), CLIENT_A_ONLY)],
    "sanctuaire:reading_pdf": [Row("GET", url("sanctuaire:reading_pdf", "DONE_A"), CLIENT_A_ONLY)],
    # The reading read aloud: its owner only (a byte range like a player's), everyone else 404 or the login page.
    "sanctuaire:reading_audio": [Row("GET", url("sanctuaire:reading_audio", "DONE_A"), CLIENT_A_ONLY)],
    # An expert sees a client's photo only while working on one of that client's orders: `other_expert` holds
    # B's delivered order only, so not B's photo.
    "sanctuaire:photo": [Row("GET", url("sanctuaire:photo", "PROFILE_A", "face"),
                             codes(302, 200, 404, 200, 404, 302, 404)),
                         Row("GET", url("sanctuaire:photo", "PROFILE_B", "face"),
                             codes(302, 404, 200, 404, 404, 302, 404))],
    # Data rights: each client their own data only (the session says whose); the export is a POST (no personal
    # data in a URL), the erasure needs the account's email (a wrong one is a 400 and erases nothing).
    "sanctuaire:data": [Row("GET", url("sanctuaire:data"), CLIENTS_ONLY)],
    "sanctuaire:data_export": [Row("POST", url("sanctuaire:data_export"), CLIENTS_ONLY),
                               Row("GET", url("sanctuaire:data_export"), codes(302, 405, 405, 403, 403, 302, 403))],
    "sanctuaire:data_erase": [Row("GET", url("sanctuaire:data_erase"), CLIENTS_ONLY),
                              Row("POST", url("sanctuaire:data_erase"), codes(302, 400, 400, 403, 403, 302, 403),
                                  data={"email": "nobody@example.com", "understood": "on"})],
    # Sanctuaire API (JWT).
    "sanctuaire:api_token": [Row("POST", url("sanctuaire:api_token"), same(401), data={"token": "forged"}, json=True)],
    "sanctuaire:api_token_refresh": [Row("POST", url("sanctuaire:api_token_refresh"), same(401),
                                         data={"refresh": "forged"}, json=True)],
    "sanctuaire:api_profile": [Row("GET", url("sanctuaire:api_profile"), API_CLIENTS_ONLY)],
    "sanctuaire:api_readings": [Row("GET", url("sanctuaire:api_readings"), API_CLIENTS_ONLY)],
    "sanctuaire:api_reading": [Row("GET", url("sanctuaire:api_reading", "DONE_A"), API_CLIENT_A_ONLY)],
    "sanctuaire:api_reading_pdf": [Row("GET", url("sanctuaire:api_reading_pdf", "DONE_A"), API_CLIENT_A_ONLY)],
    "sanctuaire:api_entitlements": [Row("GET", url("sanctuaire:api_entitlements"), API_CLIENTS_ONLY)],
    # Payments: public by design; an order is reached only by its unguessable id and shows no personal data.
    "payments:order": [Row("GET", url("payments:order"), same(200))],
    "payments:confirmation": [Row("GET", url("payments:confirmation", "DONE_A"), same(200))],
    "payments:confirmation_status": [Row("GET", url("payments:confirmation_status", "DONE_A"), same(200))],
    "payments:api_create_payment_intent": [Row("POST", url("payments:api_create_payment_intent"), same(400),
                                               data={"level": "nope"}, json=True)],
    "payments:api_confirm_payment": [  # a paid order: "succeeded", nothing else
        Row("POST", url("payments:api_confirm_payment"), same(200),
            data={"orderId": "DONE_A", "setupIntentId": "seti_forged"}, json=True),
    ],
    "payments:api_setup_intent": [Row("POST", url("payments:api_setup_intent"), same(409),
                                      data={"orderId": "DONE_A"}, json=True)],
    "payments:api_order_status": [Row("GET", url("payments:api_order_status", "DONE_A"), same(200))],
    # The storefront: legal pages, experts' profiles and the contact form are public (a message: 302).
    **{f"storefront:{slug}": [Row("GET", url(f"storefront:{slug}"), same(200))]
       for slug in ("cgv", "mentions-legales", "confidentialite", "droit-de-retractation")},
    # The footer's language switch: anyone may choose French or English (a redirect back to `next`).
    "set_language": [Row("POST", url("set_language"), same(302), data={"language": "en", "next": "/"})],
    # The order page's script texts (Django's JavaScript catalogue): public, in the visitor's language.
    "javascript-catalog": [Row("GET", url("javascript-catalog"), same(200))],
    "storefront:experts": [Row("GET", url("storefront:experts"), same(200))],
    "storefront:contact": [
        Row("GET", url("storefront:contact"), same(200)),
        Row("POST", url("storefront:contact"), same(302),
            data={"name": "Alice", "email": "alice@example.com", "subject": "order", "message": "Une question."}),
    ],
    # The desk (session): A's orders are held by `expert`; `other_expert` may not see them (404) or act (409).
    "experts:queue": [Row("GET", url("experts:queue"), DESK)],
    "experts:login": [Row("GET", url("experts:login"), codes(200, 200, 200, 302, 302, 200, 302))],
    "experts:logout": [Row("POST", url("experts:logout"), same(302))],
    "experts:validation_queue": [Row("GET", url("experts:validation_queue"), DESK)],
    "experts:stats": [Row("GET", url("experts:stats"), DESK)],
    "experts:order": [Row("GET", url("experts:order", "REVIEW_A"), codes(302, 403, 403, 200, 404, 302, 200))],
    "experts:take": [Row("POST", url("experts:take", "PAID_A"), codes(302, 403, 403, 409, 409, 302, 409), htmx=True)],
    "experts:assign": [  # admins only (400: the service refuses an expert); the admin's no-op is a 200
        Row("POST", url("experts:assign", "PAID_A"), codes(302, 403, 403, 400, 400, 302, 200),
            data={"expert": "EXPERT"}, htmx=True),
    ],
    "experts:generate": [
        Row("POST", url("experts:generate", "PAID_A"), codes(302, 403, 403, 200, 409, 302, 200),
            data={"prompt": "Lis.", "instructions": ""}, htmx=True),
    ],
    "experts:validate": [
        Row("POST", url("experts:validate", "REVIEW_A"), codes(302, 403, 403, 200, 409, 302, 200),
            data={"action": "approve", "notes": "", "reason": ""}, htmx=True),
    ],
    # Correcting and approving a reading: its holder (and admins) only; the others do not see the order.
    "experts:content_edit": [Row("GET", url("experts:content_edit", "REVIEW_A"),
                                 codes(302, 403, 403, 200, 404, 302, 200))],
    "experts:approve_confirm": [Row("GET", url("experts:approve_confirm", "REVIEW_A"),
                                    codes(302, 403, 403, 200, 404, 302, 200))],
    # A dead-lettered order of A's (back in the queue, held by `expert`): its holder or an admin relaunches it.
    "experts:relaunch": [
        Row("POST", url("experts:relaunch", "LETTER_ORDER"),
            codes(302, 403, 403, 200, 404, 302, 200), htmx=True),
    ],
    # The expert API (JWT) and the n8n callback (signed).
    "experts:api_login": [Row("POST", url("experts:api_login"), same(401),
                              data={"email": "oriane@lumira.local", "password": "faux"}, json=True)],
    "experts:api_token_refresh": [Row("POST", url("experts:api_token_refresh"), same(401),
                                      data={"refresh": "forged"}, json=True)],
    "experts:api_orders": [Row("GET", url("experts:api_orders"), API_EXPERTS)],
    "experts:api_validation_queue": [Row("GET", url("experts:api_validation_queue"), API_EXPERTS)],
    "experts:api_order": [Row("GET", url("experts:api_order", "REVIEW_A"), codes(401, 403, 403, 200, 404, 401, 200))],
    "experts:api_assign": [Row("POST", url("experts:api_assign", "PAID_A"),
                               codes(401, 403, 403, 409, 409, 401, 409), json=True)],
    "experts:api_retry_generation": [
        Row("POST", url("experts:api_retry_generation", "LETTER_ORDER"),
            codes(401, 403, 403, 202, 404, 401, 202), json=True),
    ],
    "experts:api_process_order": [
        Row("POST", url("experts:api_process_order"), codes(401, 403, 403, 202, 409, 401, 202),
            data={"orderId": "PAID_A", "expertPrompt": "Lis."}, json=True),
    ],
    "experts:api_validate_content": [
        Row("POST", url("experts:api_validate_content"), codes(401, 403, 403, 200, 409, 401, 200),
            data={"orderId": "REVIEW_A", "action": "approve"}, json=True),
    ],
    "experts:api_stats": [Row("GET", url("experts:api_stats"), API_EXPERTS)],
    "experts:api_n8n_callback": [Row("POST", url("experts:api_n8n_callback"), same(401),
                                     data={"orderId": "REVIEW_A"}, json=True)],
}


# --- the admin ---------------------------------------------------------------------------------------------
# Its own pages; and, for every registered model, the URLs the admin generates (changelist, add, change,
# history, delete). Signed-out, client and deactivated personas are sent to the admin login (302); experts
# are staff in the "Experts" group, which may only view orders; the admin (superuser) sees everything the
# ModelAdmins allow (history is read-only: nobody adds or deletes orders, dead letters or attempts there).

def _admin(name: str, *args) -> Callable[[dict], str]:
    return url(f"admin:{name}", *args)


def _order_link(order: str) -> Callable[[dict], str]:
    """The link to an order's admin page (`order` a placeholder, "DONE_A"): in a changelist, the order is
    listed (the search box echoes a searched number, so the number alone would not tell)."""
    return url("admin:orders_order_change", order)


ADMIN_ROWS: dict[str, list[Row]] = {
    "admin:index": [Row("GET", _admin("index"), STAFF)],
    "admin:login": [Row("GET", _admin("login"), codes(200, 200, 200, 302, 302, 200, 302))],
    "admin:logout": [Row("POST", _admin("logout"), STAFF)],
    "admin:password_change": [Row("GET", _admin("password_change"), STAFF)],
    "admin:password_change_done": [Row("GET", _admin("password_change_done"), STAFF)],
    "admin:jsi18n": [Row("GET", _admin("jsi18n"), STAFF)],
    "admin:autocomplete": [Row("GET", url("admin:autocomplete", query="?app_label=orders&model_name=order"
                                                       "&field_name=expert&term=a"), ADMIN_ONLY)],
    "admin:view_on_site": [Row("GET", url("admin:view_on_site", "ORDER_CT", "DONE_A"),
                               codes(302, 302, 302, 404, 404, 302, 404))],
    "admin:app_list": [Row("GET", url("admin:app_list", "orders"), STAFF)],
    # dj-stripe's admin actions call Stripe: staff is not enough, the model's change permission is needed.
    "admin:djstripe_custom_action": [
        Row("POST", url("admin:djstripe_custom_action", "_resync_instances", "account"), ADMIN_ONLY),
    ],
    "djstripe-custom-action-guard": [
        Row("POST", url("djstripe-custom-action-guard", "account", "_resync_instances", "account"),
            ADMIN_ONLY),
    ],
    "admin:auth_user_password_change": [Row("GET", _admin("auth_user_password_change", "CLIENT_A"),
                                             ADMIN_ONLY)],
    # Orders in the admin: an expert sees at most what the desk shows them (their own and unassigned ones;
    # another expert's order or a pending one "does not exist": 302 to the index); only admins search by email.
    "admin:orders_order_changelist (lists)": [
        Row("GET", _admin("orders_order_changelist"), STAFF, marker=_order_link("DONE_A"),
            shown=codes(False, False, False, True, False, False, True)),
        Row("GET", _admin("orders_order_changelist"), STAFF, marker=_order_link("DONE_B"),
            shown=codes(False, False, False, False, True, False, True)),
    ],
    "admin:orders_order_changelist (search)": [
        Row("GET", url("admin:orders_order_changelist", query="?q=client.b%40example.com"), STAFF,
            marker=_order_link("DONE_B"), shown=codes(False, False, False, False, False, False, True)),
        Row("GET", lambda w: reverse("admin:orders_order_changelist") + f"?q={w['done_b'].number}", STAFF,
            marker=_order_link("DONE_B"), shown=codes(False, False, False, False, True, False, True)),
    ],
    "admin:orders_order_change (others)": [
        Row("GET", _admin("orders_order_change", "DONE_B"), codes(302, 302, 302, 302, 200, 302, 200)),
        Row("GET", _admin("orders_order_change", "PENDING_A"), codes(302, 302, 302, 302, 302, 302, 200)),
        Row("GET", _admin("orders_order_history", "DONE_B"), codes(302, 302, 302, 302, 200, 302, 200)),
    ],
    "admin (object shortcut)": [Row("GET", lambda w: reverse("admin:index") + f"orders/order/{w['done_a'].pk}/",
                                    same(302))],
    "admin (any other path)": [Row("GET", url("admin:index", query="nulle-part/"),
                                   codes(302, 302, 302, 404, 404, 302, 404))],
}

# The objects whose admin pages (change, history, delete) the matrix opens, by model.
ADMIN_OBJECTS = {
    "accounts.user": "client_a", "auth.group": "group", "orders.offer": "offer", "orders.order": "done_a",
    "accounts.expert": "expert", "experts.deadletter": "letter", "experts.generationattempt": "attempt",
    "accounts.clientprofile": "profile_a", "djstripe.account": "account",
    "storefront.legalpage": "legal_page", "storefront.contactmessage": "contact_message",
}


# What the "Experts" group may open in the admin (viewing orders); everything else is 403 to an expert.
EXPERT_ADMIN_VIEWS = {"orders.order": {"changelist", "change", "history"}}
EXPERT_HOLDER_ONLY_VIEWS = {"change", "history"}
# What the ModelAdmins refuse even to a superuser (history and Stripe's own records are read-only).
ADMIN_REFUSED = {
    ("orders.order", "add"), ("orders.order", "delete"), ("experts.deadletter", "add"),
    ("experts.generationattempt", "add"), ("experts.generationattempt", "delete"),
    # Legal pages are edited, never added or deleted (each has its URL and footer link); messages come from the form.
    ("storefront.legalpage", "add"), ("storefront.legalpage", "delete"), ("storefront.contactmessage", "add"),
    *(("djstripe." + name, "add") for name in (
        "idempotencykey", "webhookeventtrigger", "balancetransaction", "discount", "dispute", "event")),
}
MODEL_VIEWS = ("changelist", "add", "change", "history", "delete")
ADMIN_REFUSED_KEYS = {key for key, _ in ADMIN_REFUSED}


def _admin_model_expected(key: str, view: str) -> tuple[int, ...]:
    expert = 200 if view in EXPERT_ADMIN_VIEWS.get(key, ()) else 403
    # A's delivered order is held by `expert`: for `other_expert` it is not there (302 to the admin index).
    other_expert = 302 if expert == 200 and view in EXPERT_HOLDER_ONLY_VIEWS else expert
    return codes(302, 302, 302, expert, other_expert, 302, 403 if (key, view) in ADMIN_REFUSED else 200)


def admin_model_rows() -> dict[str, list[Row]]:
    """Every registered model's changelist; add, change, history and delete for the models above and the add
    page of those that refuse it (the other models' same views are the admin's same code and checks)."""
    rows: dict[str, list[Row]] = {}
    for model in admin.site._registry:
        key = f"{model._meta.app_label}.{model._meta.model_name}"
        prefix = f"{model._meta.app_label}_{model._meta.model_name}"
        for view in MODEL_VIEWS:
            if view == "changelist" or (view == "add" and (key in ADMIN_OBJECTS or key in ADMIN_REFUSED_KEYS)):
                path = _admin(f"{prefix}_{view}")
            elif key in ADMIN_OBJECTS:
                path = _admin(f"{prefix}_{view}", (lambda k: lambda world: world[k].pk)(ADMIN_OBJECTS[key]))
            else:
                continue
            rows[f"admin:{prefix}_{view}"] = [Row("GET", path, _admin_model_expected(key, view))]
    return rows



def _url_patterns(patterns=None, prefix: str = "", namespace: str | None = None):
    """(route, name) of every URL pattern of the site, namespaces included (admin:…, experts:…)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            yield from _url_patterns(pattern.url_patterns, prefix + str(pattern.pattern),
                                     f"{namespace}:{inner}" if namespace and inner else inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name


def _row_key(route: str, name: str | None, registered: set[str]) -> str | None:
    """The row that stands for this URL, or None when it has none."""
    if name and name in ALL_ROWS:
        return name
    model_view = re.fullmatch(r"admin:(\w+?)_(\w+)_(changelist|add|change|history|delete)", name or "")
    if model_view and f"{model_view[1]}.{model_view[2]}" in registered:
        return "admin model views"  # generated by the admin for a registered model: rows from the registry
    if name is None and re.fullmatch(r".*/(\w+)/(\w+)/<path:object_id>/", route):
        return "admin (object shortcut)"
    if name is None and route.endswith("(?P<url>.*)$"):
        return "admin (any other path)"
    return None


ALL_ROWS: dict[str, list[Row]] = {**ROWS, **ADMIN_ROWS}


def test_every_url_of_the_site_has_a_row_in_the_matrix():
    registered = {f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry}
    urls = list(_url_patterns())
    missing = [(route, name) for route, name in urls if _row_key(route, name, registered) is None]
    assert not missing, f"URLs without a row in the authorization matrix: {missing}"
    assert len(urls) > 300  # the admin's URLs included
    # Keys are URL names, "name (what varies)" for extra rows of one URL, or the admin's unnamed catch-alls.
    named = {key.split(" (")[0] for key in ALL_ROWS if not key.startswith("admin (")}
    assert not named - {name for _, name in urls}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_exactly_the_expected_status_on_every_url(persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # A's and B's photos, A's reading audio
    cache.clear()
    world = build_world()
    client = signed_in(world, persona)
    column = PERSONAS.index(persona)
    rows = {**ALL_ROWS, **admin_model_rows()}

    got = {(name, index): call(client, row, world) for name, entries in rows.items() for index, row in enumerate(entries)}

    expected = {
        (name, index): (row.expected[column], row.shown[column] if row.marker else None)
        for name, entries in rows.items() for index, row in enumerate(entries)
    }
    wrong = {key: f"expected {expected[key]}, got {outcome}" for key, outcome in got.items() if outcome != expected[key]}
    assert not wrong, f"{persona}: {wrong}"
    assert len(got) > 130  # ~60 site URLs and ~80 admin pages
