import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import ClientProfile


@pytest.mark.django_db
def test_staff_can_print_a_sign_in_link_that_works_once(client, client_user, settings):
    settings.SITE_URL = "http://testserver"
    out = io.StringIO()
    call_command("sanctuaire_link", "Client.A@example.com", stdout=out)
    link = out.getvalue().strip()
    token = link.split("sesame=", 1)[1]

    assert link.startswith("http://testserver/sanctuaire/connexion/lien/?sesame=")
    assert client.post("/sanctuaire/connexion/lien/", {"token": token}).status_code == 302
    assert client.post("/sanctuaire/connexion/lien/", {"token": token}).status_code == 400
    assert not ClientProfile.objects.exists()


@pytest.mark.django_db
def test_no_link_is_printed_for_an_unknown_or_staff_account(staff_user):
    for email in ("nobody@example.com", staff_user.email):
        with pytest.raises(CommandError):
            call_command("sanctuaire_link", email, stdout=io.StringIO())
