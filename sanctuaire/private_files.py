"""Files only their owner may fetch (photos, audio readings): in the default storage, served by a view, never by URL."""

from django.core.files.storage import default_storage


def private_file_delete(name: str) -> None:
    if name:
        default_storage.delete(name)


def private_file_open(name: str):
    return default_storage.open(name, "rb")


def content_type_for(name: str, content_types: dict[str, str]) -> str:
    """The content type that `content_types` gives the name's extension (application/octet-stream otherwise)."""
    return content_types.get(name.rsplit(".", 1)[-1], "application/octet-stream")
