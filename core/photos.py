"""Uploaded photos: checked by their content, re-encoded so no metadata (GPS, camera…) survives."""

import io
import secrets
import threading

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 25 * 1024 * 1024  # a phone camera's photo, as it comes: shrunk here, never refused for its size
MAX_PHOTOS = 4
MAX_SIDE = 2560  # the longest side kept
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Pixels allowed, checked from the header before any decoding. A JPEG is decoded already reduced (its DCT
# scaling, ``draft``: a 200-megapixel camera photo decodes at a quarter of each side, about 38 MB); PNG and
# WebP cannot be, and shrinking one with transparency copies it twice more, so they are held to 10 megapixels
# (a 4K screenshot is 8.3).
MAX_PIXELS = {"JPEG": 200_000_000, "PNG": 10_000_000, "WEBP": 10_000_000}
Image.MAX_IMAGE_PIXELS = max(MAX_PIXELS.values())  # Pillow's own guard, above ours
# One photo is decoded at a time in a server process, so four people sending their worst at once cost the
# memory of one (under 150 MB above idle, measured by the tests); each takes a fraction of a second.
_DECODING = threading.BoundedSemaphore(1)


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
        if kind not in FORMATS:
            raise ValidationError(_("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name})
        upload.seek(0)
        with _DECODING:
            out = _reencode(upload, kind)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        raise ValidationError(_("%(name)s is not a photo we can read.") % {"name": name}) from None
    token = secrets.token_hex(16)
    extension = FORMATS[kind]
    return ContentFile(out.getvalue(), name=f"{token}.{extension}"), token, extension


def _reencode(upload, kind: str) -> io.BytesIO:
    """The photo's pixels only, at most ``MAX_SIDE`` a side, in its own format; the decoded original is let go
    as soon as it is shrunk."""
    with Image.open(upload) as original:
        if kind == "JPEG":
            original.draft("RGB" if original.mode != "L" else "L", (MAX_SIDE, MAX_SIDE))  # decoded reduced
        orientation = original.getexif().get(ExifTags.Base.Orientation, 1)
        original.thumbnail((MAX_SIDE, MAX_SIDE))  # in place: the full-size pixels are freed here
        image = original
        if orientation != 1:  # turned after shrinking, so the turn copies the small image, not the large
            image.getexif()[ExifTags.Base.Orientation] = orientation
            image = ImageOps.exif_transpose(image)
        if kind == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        # A fresh image holds pixels only: no EXIF, GPS, XMP or comments.
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
        if image.mode == "P" and image.getpalette():
            clean.putpalette(image.getpalette())
    out = io.BytesIO()
    options = {"quality": 85} if kind in ("JPEG", "WEBP") else {"optimize": True}
    clean.save(out, format=kind, **options)
    return out


def clean_photos(uploads) -> list[tuple[ContentFile, str, str]]:
    uploads = [u for u in uploads if u]
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("Add at most 4 photos."))
    return [clean_photo(u) for u in uploads]
