"""The encrypted model fields every app uses for personal data (SPEC §5): one import path, one key policy."""

from encrypted_fields.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
)

__all__ = ["EncryptedCharField", "EncryptedDateField", "EncryptedJSONField", "EncryptedTextField"]
