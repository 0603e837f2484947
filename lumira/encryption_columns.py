"""Rewriting encrypted columns in place, in batches: `manage.py reencrypt_fields` after a key rotation.

Works on the raw column text (every encrypted field lives in a text column), so it never depends on what a
field would do on save.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.db import connections, transaction

from .encryption import field_fernet, is_encrypted_field, newest_fernet

# A transform gets a column's stored text and answers the new text, or None to leave it as it is.
Transform = Callable[[str], "str | None"]


@dataclass
class RewriteCount:
    rows: int = 0
    rewritten: int = 0
    unreadable: int = 0


def encrypted_columns(model) -> list[str]:
    return [field.column for field in model._meta.concrete_fields if is_encrypted_field(field)]


def rewrite_columns(
    model, columns: list[str], transform: Transform, *, using: str = "default", batch_size: int = 500
) -> Iterator[int]:
    """Apply `transform` to every non-empty value of `columns`, one transaction per batch of rows (locked
    while rewritten, so a concurrent save is not lost). Yields the size of each batch done."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    selected = ", ".join(quote(column) for column in columns)
    last = None
    while True:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            after = "" if last is None else f"WHERE {pk} > %s"
            cursor.execute(
                f"SELECT {pk}, {selected} FROM {table} {after} ORDER BY {pk} LIMIT %s FOR UPDATE",  # noqa: S608
                [*([] if last is None else [last]), batch_size],
            )
            rows = cursor.fetchall()
            for pk_value, *values in rows:
                changes = {
                    column: new for column, value in zip(columns, values, strict=True)
                    if value not in (None, "") and (new := transform(value)) is not None
                }
                if changes:
                    assignments = ", ".join(f"{quote(column)} = %s" for column in changes)
                    cursor.execute(
                        f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                        [*changes.values(), pk_value],
                    )
        if not rows:
            return
        last = rows[-1][0]
        yield len(rows)


def reencrypt_transform(count: RewriteCount) -> Transform:
    """Moves a value to the newest key; counts (and leaves alone) values no configured key decrypts."""
    newest, every = newest_fernet(), field_fernet()

    def transform(value: str) -> str | None:
        token = value.encode()
        try:
            newest.decrypt(token)
        except InvalidToken:
            try:
                rotated = every.rotate(token).decode()
            except InvalidToken:
                count.unreadable += 1
                return None
            count.rewritten += 1
            return rotated
        return None

    return transform
