"""Client photos: checked from their bytes, re-encoded, stored privately under random names."""

import io
import secrets

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError

from .private_files import content_type_for, private_file_delete, private_file_open

# Detected type → (Pillow format, extension, content type). Nothing else is accepted, whatever the name says.
ACCEPTED = {
    "image/jpeg": ("JPEG", "jpg", "image/jpeg"),
    "image/png": ("PNG", "png", "image/png"),
    "image/webp": ("WEBP", "webp", "image/webp"),
}
CONTENT_TYPES = {extension: content_type for _, extension, content_type in ACCEPTED.values()}
FOLDER = "client-photos"
MAX_PIXELS = 40_000_000  # larger is refused rather than decoded (decompression bombs)


def photo_max_size_label() -> str:
    """The size limit in French units ("5 Mo")."""
    max_bytes = settings.SANCTUAIRE_PHOTO_MAX_BYTES
    if max_bytes >= 1024 * 1024:
        return f"{max_bytes / (1024 * 1024):.3g}".replace(".", ",") + " Mo"
    return f"{max(1, max_bytes // 1024)} Ko"


def photo_prepare(upload) -> ContentFile:
    """Validate an uploaded photo and return a clean copy to store, or raise a French ValidationError.

    The type comes from the file's bytes (filetype), never from its name or the browser's content type;
    Pillow must then decode it fully. Re-encoding drops metadata such as the GPS position in EXIF.
    """
    max_bytes = settings.SANCTUAIRE_PHOTO_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(gettext("The photo exceeds the maximum size (%(size)s).") % {"size": photo_max_size_label()},
                              code="too_large")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(gettext("The photo exceeds the maximum size (%(size)s).") % {"size": photo_max_size_label()},
                              code="too_large")
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ACCEPTED:
        raise ValidationError(gettext("Format not accepted: send a JPEG, PNG or WebP photo."), code="bad_type")
    pillow_format, extension, _ = ACCEPTED[kind.mime]
    try:
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError("Cette photo est trop grande (trop de pixels).", code="too_many_pixels")
            image.load()
            clean = ImageOps.exif_transpose(image)
            if pillow_format == "JPEG" and clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            output = io.BytesIO()
            clean.save(output, format=pillow_format, **({"quality": 90} if pillow_format != "PNG" else {}))
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(gettext("This image is unreadable or damaged."), code="unreadable") from exc
    return ContentFile(output.getvalue(), name=f"{secrets.token_urlsafe(32)}.{extension}")


def photo_store(content: ContentFile) -> str:
    """Save under a random name in private storage (no public URL serves it); returns the storage name."""
    return default_storage.save(f"{FOLDER}/{content.name}", content)


photo_delete = private_file_delete
photo_open = private_file_open


def photo_content_type(name: str) -> str:
    return content_type_for(name, CONTENT_TYPES)
