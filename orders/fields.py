"""A JSON document encrypted at rest as one token.

encrypted_fields' EncryptedJSONField (re-exported by lumira.encryption) encrypts each leaf on its own
as a string: the keys stay readable in the database, numbers and booleans come back as strings ("True",
"12.5"), and every leaf pays a whole Fernet token. A chart has hundreds of leaves, so it is stored as one
encrypted JSON text instead, with the same keys (and key rotation) as the other encrypted fields.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from encrypted_fields.fields import EncryptedTextField


class EncryptedJSONDocumentField(EncryptedTextField):
    def get_prep_value(self, value):
        if value is None:
            return None
        text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
        return self.f.encrypt(text.encode("utf-8")).decode("utf-8")

    def to_python(self, value):
        if value is None or isinstance(value, dict | list):
            return value
        text = super().to_python(value)  # decrypted
        try:
            return json.loads(text)
        except (TypeError, ValueError):
            return None  # not a document this field wrote
