"""API tokens (JWT) survive a SECRET_KEY rotation, like sessions and magic links (SECRET_KEY_FALLBACKS).

simplejwt signs with SIMPLE_JWT's SIGNING_KEY, SECRET_KEY by default, read once at startup, and verifies with that
one key: rotating DJANGO_SECRET_KEY would end every expert's and client's API session at once. This backend signs
with the current SECRET_KEY and verifies with it or with any SECRET_KEY_FALLBACKS entry, read at each call.
"""

from django.conf import settings
from rest_framework_simplejwt import state
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenBackendExpiredToken
from rest_framework_simplejwt.settings import api_settings


class RotatableTokenBackend(TokenBackend):
    def _with_key(self, key: str) -> TokenBackend:
        return TokenBackend(self.algorithm, key, "", self.audience, self.issuer, None, self.leeway, self.json_encoder)

    def encode(self, payload: dict) -> str:
        return self._with_key(settings.SECRET_KEY).encode(payload)

    def decode(self, token, verify: bool = True) -> dict:
        *older_first_tries, last = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        for key in older_first_tries:
            try:
                return self._with_key(key).decode(token, verify)
            except TokenBackendExpiredToken:
                raise  # the signature matched (it is checked first): the token is this key's, and too old
            except TokenBackendError:
                continue  # signed with another key, or not at all
        return self._with_key(last).decode(token, verify)


def install() -> None:
    """At startup (AccountsConfig.ready): every simplejwt token reads `state.token_backend`. Only when tokens are
    signed with SECRET_KEY (an HMAC algorithm and no SIMPLE_JWT["SIGNING_KEY"] of their own)."""
    if api_settings.ALGORITHM.startswith("HS") and api_settings.SIGNING_KEY == settings.SECRET_KEY:
        state.token_backend = RotatableTokenBackend(
            api_settings.ALGORITHM, settings.SECRET_KEY, "", api_settings.AUDIENCE, api_settings.ISSUER, None,
            api_settings.LEEWAY, api_settings.JSON_ENCODER,
        )
