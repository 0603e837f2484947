"""The encrypted model fields every app uses for personal data (SPEC §5): one import path, one key policy.

Keys: settings.FIELD_ENCRYPTION_KEYS (Fernet keys, newest first) through a MultiFernet, so the newest key
encrypts and every listed key decrypts. The keys the library used to derive from SECRET_KEY (and its
fallbacks) with FIELD_ENCRYPTION_SALT follow them, decrypt-only, so rows written before the key list existed
stay readable until `manage.py reencrypt_fields` moves them to the newest key.

Every field stores its ciphertext in a text column; an empty value stays empty (NULL when the column allows
it, '' otherwise), which tells nothing about the person. Equality filters and ordering on these columns are
meaningless (each write uses a fresh IV): compare in Python after loading.
"""

from __future__ import annotations

import base64
import json
from contextlib import suppress
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from encrypted_fields import fields as library

__all__ = [
    "EncryptedBooleanField",
    "EncryptedCharField",
    "EncryptedDateField",
    "EncryptedDateTimeField",
    "EncryptedEmailField",
    "EncryptedFloatField",
    "EncryptedIntegerField",
    "EncryptedJSONField",
    "EncryptedTextField",
    "field_fernet",
    "is_encrypted_field",
    "newest_fernet",
]


def _legacy_key(secret: str, salt: str) -> bytes:
    """encrypted_fields' own derivation (PBKDF2-SHA256, 100 000 rounds), kept identical so old rows decrypt."""
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt.encode(), iterations=100_000)
    return base64.urlsafe_b64encode(kdf.derive(secret.encode()))


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...], legacy_secrets: tuple[str, ...], legacy_salts: tuple[str, ...]) -> MultiFernet:
    # Cached on the settings' values (PBKDF2 is slow on purpose), so a rotation seen by settings is seen here.
    legacy = [_legacy_key(secret, salt) for secret in legacy_secrets for salt in legacy_salts]
    return MultiFernet([Fernet(key) for key in (*keys, *legacy)])


def _keys() -> tuple[str, ...]:
    keys = tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) or ())
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: personal data cannot be encrypted.")
    return keys


def field_fernet() -> MultiFernet:
    """Encrypts with the newest key; decrypts with any configured key, legacy ones included."""
    salts = tuple(getattr(settings, "FIELD_ENCRYPTION_LEGACY_SALTS", ()) or ())
    secrets = (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())) if salts else ()
    return _fernets(_keys(), secrets, salts)


def newest_fernet() -> Fernet:
    """The newest key alone: what a value must decrypt with to count as re-encrypted."""
    return _newest(_keys()[0])


@lru_cache(maxsize=8)
def _newest(key: str) -> Fernet:
    return Fernet(key)


class FieldKeyPolicy:
    """Replaces the library's SECRET_KEY-derived key (a per-field cached property) with `field_fernet()`."""

    @property
    def keys(self) -> list[bytes]:
        return [key.encode() for key in _keys()]

    @property
    def f(self) -> MultiFernet:
        return field_fernet()


class _EncryptedScalar(FieldKeyPolicy, library.EncryptedFieldMixin):
    def get_prep_value(self, value):
        # The library stores '' as NULL; a NOT NULL text column keeps '' (it reveals nothing either way).
        if value == "" and not self.null:
            return ""
        return super().get_prep_value(value)


class EncryptedCharField(_EncryptedScalar, models.CharField):
    pass


class EncryptedTextField(_EncryptedScalar, models.TextField):
    pass


class EncryptedDateField(_EncryptedScalar, models.DateField):
    pass


class EncryptedDateTimeField(_EncryptedScalar, models.DateTimeField):
    pass


class EncryptedIntegerField(_EncryptedScalar, models.IntegerField):
    pass


class EncryptedFloatField(_EncryptedScalar, models.FloatField):
    pass


class EncryptedEmailField(_EncryptedScalar, models.EmailField):
    pass


class EncryptedBooleanField(_EncryptedScalar, models.BooleanField):
    pass


class EncryptedJSONField(FieldKeyPolicy, models.JSONField):
    """A JSON document encrypted whole, in one token, in a text column.

    Not the library's EncryptedJSONField: that one encrypts each leaf separately and turns every number and
    boolean into a string, and leaves the document's keys in clear. Key lookups (`content__title`) cannot
    work on ciphertext and are refused; `__isnull` works.
    """

    def get_internal_type(self) -> str:
        return "TextField"

    def get_prep_value(self, value):
        if value is None:
            return None
        return self.f.encrypt(json.dumps(value, cls=self.encoder).encode()).decode()

    def get_db_prep_value(self, value, connection, prepared=False):
        return value if prepared else self.get_prep_value(value)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        # A row written before its column was encrypted stays as it is (the data migration converts them).
        with suppress(InvalidToken):
            value = self.f.decrypt(value.encode()).decode()
        try:
            return json.loads(value, cls=self.decoder)
        except json.JSONDecodeError:
            return value

    def get_transform(self, name):
        return models.Field.get_transform(self, name)


def is_encrypted_field(field) -> bool:
    return isinstance(field, (FieldKeyPolicy, library.EncryptedFieldMixin))
