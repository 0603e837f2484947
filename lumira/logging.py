"""Log hygiene: secrets, magic-link tokens and card numbers never reach the logs."""

import logging
import re

_PATTERNS = [
    # Magic-link tokens in URLs and JSON bodies.
    (re.compile(r"(sesame=)[^&\s\"']+"), r"\1[redacted]"),
    (re.compile(r"(\"token\"\s*:\s*\")[^\"]+"), r"\1[redacted]"),
    # Stripe secrets and client secrets.
    (re.compile(r"\b(sk|rk|whsec)_(live|test)?_?[A-Za-z0-9]{6,}"), "[redacted-key]"),
    (re.compile(r"\b(pi|seti)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+"), "[redacted-client-secret]"),
    # Bearer tokens (JWT).
    (re.compile(r"(Bearer\s+)[A-Za-z0-9._-]+"), r"\1[redacted]"),
    # Anything that looks like a card number (13-19 digits, spaces or dashes allowed).
    # (Not inside a longer token, so that UUIDs whose groups happen to be all digits stay readable.)
    (re.compile(r"(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])"), "[redacted-card]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (with its arguments) through `redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
