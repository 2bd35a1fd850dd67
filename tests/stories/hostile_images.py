"""Hostile and awkward files for the image pipeline, made on the fly."""

import io
import struct
import zlib

from PIL import Image


def jpeg_with_gps_and_comment():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    gps = {1: "S", 2: (33.0, 52.0, 4.0), 3: "E", 4: (151.0, 12.0, 36.0)}
    exif[0x8825] = gps  # GPSInfo
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#a4461b").save(
        buffer, "JPEG", exif=exif.tobytes(), comment=b"secret comment"
    )
    return buffer.getvalue()


def gif_with_html():
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, "GIF")
    return buffer.getvalue() + b"<html><script>alert(1)</script></html>"


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def tiff_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "TIFF")
    return buffer.getvalue()


def _chunk(kind, data):
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def huge_png(side=30000):
    """A valid PNG header for side × side pixels; tiny on disk, a bomb in memory."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit grey
    row = b"\x00" + b"\x00" * side
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(64)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def truncated_jpeg():
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 64).convert("RGB").save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) // 2]


def big_file(megabytes=20):
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buffer, "PNG")
    return buffer.getvalue() + b"\x00" * (megabytes * 1024 * 1024)


def png_with_text_chunk():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address here")
    info.add_text("XML:com.adobe.xmp", "<x:xmpmeta>gps</x:xmpmeta>")
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 0, 255, 128)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def webp_image():
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(buffer, "WEBP")
    return buffer.getvalue()


# (bytes, file name, what the refusal says), for every place that takes an image
REFUSED = [
    (gif_with_html(), "cat.gif", "Upload a JPEG, PNG or WebP"),
    (SVG_WITH_SCRIPT, "logo.svg", "Upload a JPEG, PNG or WebP"),
    (tiff_bytes(), "photo.png", "Upload a JPEG, PNG or WebP"),
    (huge_png(), "bomb.png", "too many"),
    (truncated_jpeg(), "half.jpg", "damaged or incomplete"),
    (big_file(20), "big.png", "too large"),
]
REFUSED_IDS = [
    "gif+html",
    "svg+script",
    "tiff-as-png",
    "30000x30000",
    "truncated",
    "20MB",
]
