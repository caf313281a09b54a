"""Product pictures: checked with Pillow and re-encoded before a byte is stored.

An uploaded image is input to a parser, so it is treated as hostile until re-drawn:

- only JPEG, PNG and WebP, opened with only those decoders; SVG never (it is a document that
  can carry scripts, and served from the shop's own origin a script runs with the shop's rights);
- a cap on the file size and on the pixel count, read from the header before anything is
  decoded (a "decompression bomb" is a small file that unpacks to gigabytes);
- ``verify()`` on a first open, then a fresh open that decodes every pixel, so a damaged or
  truncated file is refused instead of stored half;
- re-encoded to WebP at no more than ``MAX_DIMENSION`` pixels from the bare pixels: EXIF, XMP
  and the rest do not survive. A phone photo's EXIF can hold the GPS position where it was
  taken (often someone's home) and the camera's serial number.

The staff upload screen and the demo seeding both go through ``image_ingest``.
"""

import io
import struct
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 40 megapixels: more than any camera a shop photographs products with
MAX_DIMENSION = 2000  # longest side as stored: sharp on a large screen, small to send
WEBP_QUALITY = 85

REFUSED_FORMAT = _("Only JPEG, PNG or WebP pictures can be uploaded.")
REFUSED_SVG = _(
    "SVG pictures are not accepted: they can contain scripts. Upload a JPEG, PNG or WebP."
)
REFUSED_SIZE = _("The file is larger than 10 MB. Upload a smaller picture.")
REFUSED_PIXELS = _("The picture has more than 40 megapixels. Upload a smaller picture.")
REFUSED_DAMAGED = _("The picture is damaged or incomplete. Upload the file again.")
REFUSED_EMPTY = _("The file is empty.")


class ImageRefused(ValidationError):
    """The upload is not stored; the message says why, in the visitor's language."""


@dataclass(frozen=True)
class IngestedImage:
    content: bytes  # WebP, without metadata
    width: int
    height: int
    extension: str = "webp"


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImageRefused(REFUSED_SIZE, code="size")
    if hasattr(upload, "seek"):
        upload.seek(0)
    raw = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ImageRefused(REFUSED_SIZE, code="size")
    if not raw:
        raise ImageRefused(REFUSED_EMPTY, code="empty")
    return raw


def _looks_like_markup(raw: bytes) -> bool:
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") or b"<svg" in head


def _to_plain_pixels(image: Image.Image) -> Image.Image:
    """The pixels, upright and in sRGB, in a new image that carries no metadata at all."""
    image = ImageOps.exif_transpose(image)  # keep the photo upright once its EXIF is gone
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    icc = image.info.get("icc_profile")
    converted = None
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:  # colours as the camera meant them, in the profile every browser assumes
            converted = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"),
                outputMode=mode,
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None
    if converted is None:
        converted = image.convert(mode)
    converted.thumbnail((MAX_DIMENSION, MAX_DIMENSION), Image.Resampling.LANCZOS)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def image_ingest(upload) -> IngestedImage:
    """Check an uploaded picture and re-encode it; ``ImageRefused`` says why not."""
    raw = _read(upload)
    if _looks_like_markup(raw):
        raise ImageRefused(REFUSED_SVG, code="svg")
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice that; here it is a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(raw), formats=ALLOWED_FORMATS) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ImageRefused(REFUSED_PIXELS, code="pixels")
                probe.verify()
            with Image.open(io.BytesIO(raw), formats=ALLOWED_FORMATS) as image:
                image.load()  # decodes every pixel: a truncated file fails here
                clean = _to_plain_pixels(image)
        except ImageRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused(REFUSED_PIXELS, code="pixels") from None
        except UnidentifiedImageError:
            raise ImageRefused(REFUSED_FORMAT, code="format") from None
        except (OSError, SyntaxError, ValueError, EOFError, struct.error):
            raise ImageRefused(REFUSED_DAMAGED, code="damaged") from None
    encoded = io.BytesIO()
    clean.save(encoded, "WEBP", quality=WEBP_QUALITY, method=4)
    return IngestedImage(content=encoded.getvalue(), width=clean.width, height=clean.height)
