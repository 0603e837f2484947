"""The signature scheme shared with n8n (SPEC §9), in both directions.

Headers `X-Lumira-Timestamp` (Unix seconds) and `X-Lumira-Signature` (hex HMAC-SHA256 of
"{timestamp}.{raw body}"). The signature covers the exact bytes sent, so the body must be signed once and
sent as is, never re-serialised.
"""

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Lumira-Timestamp"
SIGNATURE_HEADER = "X-Lumira-Signature"


class SignatureError(Exception):
    """Missing or wrong signature: the sender does not hold the secret."""


class StaleSignature(Exception):
    """A valid signature, but too old (or too far ahead) to be a live request: a possible replay."""


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(now if now is not None else time.time()))
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def verify(secret: str, *, timestamp: str | None, signature: str | None, body: bytes, max_age: int) -> int:
    """Check a signed request; return its timestamp. The signature is checked before the age, so that
    only a holder of the secret learns whether a timestamp was accepted."""
    if not secret:
        raise SignatureError("No secret configured.")
    # ASCII only: str.isdigit() accepts "²" or "٣", and compare_digest raises on a non-ASCII str (a 500).
    if not timestamp or not signature or not (timestamp.isascii() and timestamp.isdigit()):
        raise SignatureError("Missing or malformed signature headers.")
    given = signature.strip().lower()
    if not given.isascii():
        raise SignatureError("Malformed signature.")
    if not hmac.compare_digest(sign(secret, timestamp, body).encode(), given.encode()):
        raise SignatureError("Signature mismatch.")
    if abs(time.time() - int(timestamp)) > max_age:
        raise StaleSignature("Timestamp outside the accepted window.")
    return int(timestamp)
