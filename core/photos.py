"""Uploaded photos: checked by their content, re-encoded so no metadata (GPS, camera…) survives."""

import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 25 * 1024 * 1024  # a phone camera's photo, as it comes: shrunk here, never refused for its size
MAX_PHOTOS = 4
MAX_SIDE = 2560  # the longest side kept
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Pixels allowed, checked from the header before any decoding. A JPEG is decoded already reduced (its DCT
# scaling, ``draft``), so even a 200-megapixel camera photo costs little memory; PNG and WebP decode whole.
MAX_PIXELS = {"JPEG": 200_000_000, "PNG": 40_000_000, "WEBP": 40_000_000}
Image.MAX_IMAGE_PIXELS = max(MAX_PIXELS.values())  # Pillow's own guard, above ours


def clean_photo(upload) -> tuple[ContentFile, str, str]:
    """Return (clean file, token, extension) for an upload, or raise ValidationError."""
    name = getattr(upload, "name", "") or _("photo")
    if upload.size > MAX_BYTES:
        raise ValidationError(_("%(name)s is larger than 25 MB.") % {"name": name})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
            kind, (width, height) = probe.format, probe.size
        if kind in FORMATS and width * height > MAX_PIXELS[kind]:
            raise ValidationError(_("%(name)s has more than %(mp)s million pixels: take it at a lower setting.") % {
                "name": name, "mp": MAX_PIXELS[kind] // 1_000_000})
        upload.seek(0)
        with Image.open(upload) as original:
            if kind not in FORMATS:
                raise ValidationError(_("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name})
            if kind == "JPEG":
                original.draft("RGB" if original.mode != "L" else "L", (MAX_SIDE, MAX_SIDE))  # decoded reduced
            image = ImageOps.exif_transpose(original)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            if kind == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            # A fresh image holds pixels only: no EXIF, GPS, XMP or comments.
            clean = Image.new(image.mode, image.size)
            clean.putdata(list(image.getdata())) if image.mode == "P" else clean.paste(image)
            if image.mode == "P" and image.getpalette():
                clean.putpalette(image.getpalette())
            out = io.BytesIO()
            options = {"quality": 85} if kind in ("JPEG", "WEBP") else {"optimize": True}
            clean.save(out, format=kind, **options)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        raise ValidationError(_("%(name)s is not a photo we can read.") % {"name": name}) from None
    token = secrets.token_hex(16)
    extension = FORMATS[kind]
    return ContentFile(out.getvalue(), name=f"{token}.{extension}"), token, extension


def clean_photos(uploads) -> list[tuple[ContentFile, str, str]]:
    uploads = [u for u in uploads if u]
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("Add at most 4 photos."))
    return [clean_photo(u) for u in uploads]
