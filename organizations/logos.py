"""Organisation logos (issue 22): which images are accepted, and the sizes they are served in.

Checked like every upload (compare ``partnerships/uploads.py``), by the field's validator, so
the admin and any later writer refuse the same files with the same messages:

- at most ``LOGO_MAX_MB`` megabytes and ``LOGO_MAX_PIXELS`` pixels (a small file can unpack to
  a huge image);
- PNG, JPEG or WebP, recognised by decoding the CONTENT with Pillow, never by the name; the
  name's extension must match;
- SVG, HTML and other markup are refused with their own message: a browser runs their scripts.

The upload itself is never stored. :func:`logo_before_save` decodes it and writes only
derivatives: PNGs of at most 128 and 256 pixels a side (``LOGO_SIZES``), made from the pixels
alone, so no metadata (camera, GPS position, comments, colour profile) survives. Both are
stored under a random key (``logos/<key>-<size>.png``); the field holds the largest one's name.
They are sent by ``organizations.views.organization_logo`` at an address that names the key,
so a replaced logo gets a new address and each can be cached for a year.

No model import here: the model's validator lives in this module.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

LOGO_MAX_MB = 5
MEGABYTE = 1024 * 1024
LOGO_MAX_PIXELS = 25_000_000  # 5,000 x 5,000: far more than a logo needs
LOGO_SIZES = (128, 256)  # the derivatives, the largest side in pixels; the field names the last
LOGO_DIRECTORY = "logos"
# Pillow's format name → the name endings accepted for it.
FORMATS = {"PNG": ("png",), "JPEG": ("jpg", "jpeg"), "WEBP": ("webp",)}
# Every sent logo: nothing in it may run, load or submit anything.
LOGO_CONTENT_SECURITY_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; sandbox"

_NAME_RE = re.compile(rf"^{LOGO_DIRECTORY}/(?P<key>[0-9a-f]{{32}})-(?P<size>\d+)\.png$")


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_markup(head: bytes) -> bool:
    """SVG, HTML, XML: text that starts with a tag (after a byte-order mark and spaces)."""
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def validate_logo_file(file: Any) -> None:
    """The one check of an uploaded logo (see the module docstring); raises ValidationError.
    A stored logo (a derivative already in the storage) is not checked again."""
    if not file or (isinstance(file, FieldFile) and getattr(file, "_committed", False)):
        return
    if file.size > LOGO_MAX_MB * MEGABYTE:
        raise ValidationError(
            _("The file is %(size)s MB; a logo may be at most %(limit)s MB."),
            code="file_too_large",
            params={"size": f"{file.size / MEGABYTE:.1f}", "limit": LOGO_MAX_MB},
        )
    file.seek(0)
    head = file.read(512)
    file.seek(0)
    if not head:
        raise ValidationError(_("The file is empty."), code="empty_file")
    if _is_markup(head):
        raise ValidationError(
            _(
                "SVG, HTML and other markup files are not accepted as a logo, whatever their "
                "name: they can carry scripts. Upload a PNG, JPEG or WebP image."
            ),
            code="markup_file",
        )
    image_format = _decoded_format(file)
    if image_format not in FORMATS:
        raise ValidationError(
            _("This is not an image the portal accepts as a logo: upload a PNG, JPEG or WebP."),
            code="unsupported_file_type",
        )
    if _extension(file.name) not in FORMATS[image_format]:
        raise ValidationError(
            _(
                "The file is called “.%(extension)s” but its content is %(type)s: rename it to "
                "“.%(expected)s” or upload the intended file."
            ),
            code="extension_mismatch",
            params={
                "extension": _extension(file.name),
                "type": image_format,
                "expected": FORMATS[image_format][0],
            },
        )


def _decoded_format(file: Any) -> str | None:
    """Pillow's name of the image's format, once its header and data decode; None otherwise.
    Raises ValidationError for an image of more than ``LOGO_MAX_PIXELS`` pixels."""
    try:
        with Image.open(file) as image:
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                raise ValidationError(
                    _(
                        "The image is %(width)d × %(height)d pixels; a logo may have at most "
                        "25 million pixels."
                    ),
                    code="image_too_large",
                    params={"width": width, "height": height},
                )
            image_format = image.format
            image.verify()  # the data, not only the header
        return image_format
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return None
    finally:
        file.seek(0)


def logo_derivatives(file: Any) -> dict[int, bytes]:
    """{size: PNG bytes} of ``file`` (a validated image) fitted into each of ``LOGO_SIZES``: the
    pixels only, turned upright by their EXIF orientation first; never larger than the original."""
    file.seek(0)
    with Image.open(file) as opened:
        opened.load()
        upright = ImageOps.exif_transpose(opened).convert("RGBA")
    derivatives = {}
    for size in LOGO_SIZES:
        fitted = upright.copy()
        fitted.thumbnail((size, size), Image.Resampling.LANCZOS)
        pixels = Image.new("RGBA", fitted.size)  # a new image: no metadata is carried over
        pixels.paste(fitted)
        out = io.BytesIO()
        pixels.save(out, "PNG", optimize=True)
        derivatives[size] = out.getvalue()
    return derivatives


def logo_name(key: str, size: int) -> str:
    return f"{LOGO_DIRECTORY}/{key}-{size}.png"


def logo_key(name: str) -> str | None:
    """The random key of a stored logo's name, or None when the name is no logo derivative's."""
    match = _NAME_RE.match(name or "")
    return match["key"] if match else None


def store_logo(file: Any, storage: Storage) -> str:
    """Writes the derivatives of ``file`` and returns the name of the largest."""
    key = uuid.uuid4().hex
    for size, data in logo_derivatives(file).items():
        storage.save(logo_name(key, size), ContentFile(data))
    return logo_name(key, LOGO_SIZES[-1])


def delete_logo(name: str, storage: Storage) -> None:
    key = logo_key(name)
    if key is not None:
        for size in LOGO_SIZES:
            storage.delete(logo_name(key, size))


def logo_before_save(*, organization: Any, changed: Iterable[str]) -> None:
    """Before an organisation is saved with a changed logo: a new upload is replaced by its
    derivatives (written now); the previous logo's files are deleted once the transaction has
    committed (a rolled-back save keeps them). Called by the admin's save."""
    if "logo" not in changed:
        return
    field = organization.logo
    storage = field.storage
    model = type(organization)
    previous = (
        model._base_manager.filter(pk=organization.pk).values_list("logo", flat=True).first()
        if organization.pk
        else None
    )
    if field and not getattr(field, "_committed", True):
        organization.logo = store_logo(field.file, storage)
    if previous and previous != organization.logo.name:
        transaction.on_commit(lambda: delete_logo(previous, storage))
