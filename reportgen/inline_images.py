"""Which images written inline in a note (`data:` URLs) may be embedded.

A note can arrive in a pull request, so an inline image is untrusted input to the
browser and to the PDF renderer. Only small bitmaps are embedded:

* PNG, JPEG, GIF or WebP: no SVG. An SVG is a program for the renderer (nested `<use>`
  elements multiply: a 1.7 KB file can take WeasyPrint hours), and a note never needs
  one; a photo or a screenshot is a bitmap.
* at most MAX_IMAGE_BYTES once decoded, and MAX_IMAGE_PIXELS pixels: a PNG of
  13000×13000 pixels compresses to a few KB and decodes to about 700 MB.

The size is read from the image's header (Pillow opens it lazily, without decoding
the pixels), so checking costs microseconds.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import warnings
from urllib.parse import unquote_to_bytes

MAX_IMAGE_BYTES = 2 * 1024 * 1024
# 16.8 megapixels: more than any phone photo (12 MP), about 64 MB once decoded.
MAX_IMAGE_PIXELS = 4096 * 4096
EMBEDDED_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/jpg": "JPEG",
                  "image/gif": "GIF", "image/webp": "WEBP"}

_DATA_URL = re.compile(r"data:([^;,]*)((?:;[^;,]*)*),(.*)", re.DOTALL | re.IGNORECASE)


def inline_image_problem(source: str) -> str | None:
    """Why the `data:` URL `source` is not embedded, or None if it may be."""
    match = _DATA_URL.fullmatch(source.strip())
    if match is None:
        return "not a readable inline image"
    media_type = match.group(1).strip().lower()
    if media_type == "image/svg+xml":
        return "SVG images in notes are not embedded (use PNG or JPEG)"
    if media_type not in EMBEDDED_TYPES:
        return f"only PNG, JPEG, GIF and WebP images are embedded, not {media_type[:40]}"
    payload = match.group(3)
    is_base64 = ";base64" in match.group(2).lower()
    if (len(payload) * 3 // 4 if is_base64 else len(payload)) > MAX_IMAGE_BYTES:
        return f"the image is over {MAX_IMAGE_BYTES // 1024 // 1024} MiB"
    try:
        data = (base64.b64decode(unquote_to_bytes(payload), validate=False) if is_base64
                else unquote_to_bytes(payload))
    except (binascii.Error, ValueError):
        return "not a readable inline image"
    return bitmap_problem(data, EMBEDDED_TYPES[media_type])


def bitmap_problem(data: bytes, expected_format: str) -> str | None:
    """Why these image bytes are not embedded (too many pixels, not what they say)."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            # Our own limit below says it better than Pillow's warning would.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                found = image.format
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return "not a readable inline image"
    if found != expected_format:
        return "not a readable inline image (its type is not what it says)"
    if width * height > MAX_IMAGE_PIXELS:
        return (f"the image is {width}×{height} pixels; the limit is"
                f" {MAX_IMAGE_PIXELS / 1e6:.1f} megapixels")
    return None
