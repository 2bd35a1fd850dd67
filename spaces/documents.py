"""The one way a shared file enters a community of practice.

The kind of a file is read from its bytes, never from its name or the type
the browser gave: PDF; Word, Excel and PowerPoint documents (OOXML) and
their OpenDocument kin, whose zip is bounded in entries and in unpacked size
and refused with macros; plain text and CSV, decoded as UTF-8; and images,
which go through the library's one image path (stories.images.clean_image:
decoded, bounded and re-encoded). Each file is bounded in bytes and stored
under a server-made name, and is served only through a permission check, as
a download (spaces.resource_views).
"""

import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename

from stories.images import clean_image

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024  # a zip's entries, unpacked
MAX_ENTRIES = 5000

KINDS = {
    # extension: (content type, what a person calls it)
    "pdf": ("application/pdf", "PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel spreadsheet",
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint presentation",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text"),
    "ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        "OpenDocument spreadsheet",
    ),
    "odp": ("application/vnd.oasis.opendocument.presentation", "OpenDocument slides"),
    "csv": ("text/csv; charset=utf-8", "CSV table"),
    "txt": ("text/plain; charset=utf-8", "text file"),
    "jpg": ("image/jpeg", "JPEG image"),
    "png": ("image/png", "PNG image"),
    "webp": ("image/webp", "WebP image"),
}
OOXML_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
OOXML_PARTS["ppt/presentation.xml"] = "pptx"
ODF_TYPES = {KINDS[kind][0]: kind for kind in ("odt", "ods", "odp")}
ALLOWED = (
    "Upload a PDF, a Word, Excel or PowerPoint file (or OpenDocument), a CSV "
    "or text file, or a JPEG, PNG or WebP image."
)


@dataclass
class CleanDocument:
    name: str  # the server-made storage name, e.g. resources/3f2a….pdf
    content: ContentFile
    filename: str  # what a download is called: the sender's name, made safe
    kind: str  # a key of KINDS
    size: int


def refuse(message):
    raise ValidationError(message, code="invalid_document")


def clean_document(upload):
    """Check an uploaded file; raise ValidationError with a message for the
    person who sent it."""
    size = getattr(upload, "size", None)
    limit = f"Files can be up to {MAX_BYTES // 2**20} MB."
    if size is None or size > MAX_BYTES:
        refuse(f"This file is too large. {limit}")
    if size == 0:
        refuse("This file is empty.")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        refuse(f"This file is too large. {limit}")
    stem = PurePath(getattr(upload, "name", "") or "file").stem
    if is_image(data):
        return image_document(upload, stem)
    kind = detect(data, getattr(upload, "name", ""))
    name = f"resources/{uuid.uuid4().hex}.{kind}"
    return CleanDocument(
        name=name,
        content=ContentFile(data),
        filename=download_name(stem, kind),
        kind=kind,
        size=len(data),
    )


def is_image(data):
    """JPEG, PNG or WebP by its first bytes: for clean_image to decode."""
    webp = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return data[:3] == b"\xff\xd8\xff" or data[:4] == b"\x89PNG" or webp


def image_document(upload, stem):
    image = clean_image(upload)  # re-encoded: no metadata, bounded
    kind = image.name.rsplit(".", 1)[1]
    data = image.content.read()
    return CleanDocument(
        name=f"resources/{uuid.uuid4().hex}.{kind}",
        content=ContentFile(data),
        filename=download_name(stem, kind),
        kind=kind,
        size=len(data),
    )


def detect(data, given_name):
    """The kind of `data` (a key of KINDS), or refuse it."""
    if data.startswith(b"%PDF-"):
        return pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return packed(data)
    return text(data, given_name)


def pdf(data):
    if b"%%EOF" not in data[-2048:]:
        refuse("This PDF is damaged or incomplete. Try saving it again.")
    if b"/JavaScript" in data or b"/Launch" in data:
        refuse("This PDF runs scripts, which we don't accept. Print it to a new PDF.")
    return "pdf"


def packed(data):
    """An Office or OpenDocument file: a zip of bounded size, without macros."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        refuse("This file is damaged or incomplete. Try saving it again.")
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
        refuse("This file unpacks to too much. Save a smaller copy.")
    names = {entry.filename for entry in entries}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        refuse("This file has macros, which we don't accept. Save it without them.")
    if "mimetype" in names:
        declared = archive.read("mimetype").decode("ascii", "replace").strip()
        if declared in ODF_TYPES:
            return ODF_TYPES[declared]
    if "[Content_Types].xml" in names:
        types = archive.read("[Content_Types].xml")
        if b"macroEnabled" in types:
            refuse("This file has macros, which we don't accept. Save it without them.")
        for part, kind in OOXML_PARTS.items():
            if part in names:
                return kind
    refuse(f"This kind of file can't be shared here. {ALLOWED}")


def text(data, given_name):
    """Plain text or CSV (by the name it came with), if it is UTF-8 text."""
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        refuse(f"This kind of file can't be shared here. {ALLOWED}")
    if "\x00" in decoded:
        refuse(f"This kind of file can't be shared here. {ALLOWED}")
    return "csv" if str(given_name).lower().endswith(".csv") else "txt"


def download_name(stem, kind):
    """The sender's own name for the file, made safe, with the kind's own
    extension."""
    try:
        safe = get_valid_filename(stem)[:80]
    except SuspiciousFileOperation:  # nothing left of it, or ".."
        safe = ""
    return f"{safe or 'file'}.{kind}"
