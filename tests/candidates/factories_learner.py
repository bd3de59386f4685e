"""Test helpers for learner self-service (area A): sample files and documents."""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile

from academy.models import User
from candidates.models import Candidate, Document
from candidates.services.documents import document_upload

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


# A fixed time in the archives, so two calls give the same bytes even when a slow test crosses
# the zip format's two-second clock.
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), text)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def odt_bytes() -> bytes:
    return _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"})


def upload(
    name: str = "cv.pdf", content: bytes = PDF_BYTES, content_type: str = "application/pdf"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_document(candidate: Candidate, actor: User, *, name: str = "cv.pdf", kind: str = "cv") -> Document:
    return document_upload(candidate=candidate, actor=actor, kind=kind, file=upload(name))


class _Inputs(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.values: list[str] = []
        self.checked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("name") == self.name:
            self.values.append(found.get("value") or "")
            if "checked" in found:
                self.checked.append(found.get("value") or "")


def checked_values(page: str, name: str) -> list[str]:
    """The values of the checked radios or checkboxes called `name` in an HTML page."""
    parser = _Inputs(name)
    parser.feed(page)
    return parser.checked


def input_values(page: str, name: str) -> list[str]:
    """The values of every input called `name` (each radio's or checkbox's option)."""
    parser = _Inputs(name)
    parser.feed(page)
    return parser.values
