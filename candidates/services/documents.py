"""Uploading, downloading and deleting a candidate's documents.

A file is accepted only when its contents (magic bytes) and its extension agree on one of a few
safe types, and it is no bigger than settings.DOCUMENT_MAX_UPLOAD_MB. It is stored under a random
name in MEDIA_ROOT, which no URL serves: the download view checks permission and audits each
download.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, Document


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = FileType("application/pdf", (".pdf",), "PDF")
PNG = FileType("image/png", (".png",), "PNG image")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPG image")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "Word document")
ODT = FileType("application/vnd.oasis.opendocument.text", (".odt",), "OpenDocument text")
TEXT = FileType("text/plain", (".txt",), "text file")
ALLOWED_TYPES = (PDF, DOCX, ODT, JPEG, PNG, TEXT)
ALLOWED_EXTENSIONS = tuple(ext for file_type in ALLOWED_TYPES for ext in file_type.extensions)
ALLOWED_DESCRIPTION = "a PDF, Word document (.docx), OpenDocument text (.odt), JPG, PNG or text file (.txt)"

SNIFF_BYTES = 8192
# Bytes that never appear in a plain text file but do in executables and other binaries.
BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def document_max_bytes() -> int:
    return int(settings.DOCUMENT_MAX_UPLOAD_MB) * 1024 * 1024


def _zip_type(file: UploadedFile) -> FileType | None:
    """DOCX and ODT are zip archives; look at their table of contents without unpacking them."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return DOCX
            # The "mimetype" entry is tiny in a real ODT; anything bigger is not worth reading.
            is_small = "mimetype" in names and archive.getinfo("mimetype").file_size <= len(ODT_MIMETYPE) + 2
            if is_small and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return ODT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _is_plain_text(file: UploadedFile) -> bool:
    return not any(BINARY_BYTES.search(chunk) for chunk in file.chunks())


def document_detect_type(file: UploadedFile) -> FileType | None:
    """The allowed type the file's contents show, or None; reads the file and rewinds it."""
    try:
        file.seek(0)
        head = file.read(SNIFF_BYTES)
        file.seek(0)
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(file)
        return TEXT if _is_plain_text(file) else None
    finally:
        file.seek(0)


def document_validate_file(file: UploadedFile) -> FileType:
    """Check size, extension and contents of an upload; ValidationError names what is wrong."""
    max_mb = settings.DOCUMENT_MAX_UPLOAD_MB
    if not file.size:
        raise ValidationError("The selected file is empty. Choose a file that has something in it.", code="empty")
    if file.size > document_max_bytes():
        raise ValidationError(f"The selected file must be smaller than {max_mb} MB.", code="too_big")
    extension = PurePath(file.name or "").suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(f"The selected file must be {ALLOWED_DESCRIPTION}.", code="extension")
    detected = document_detect_type(file)
    if detected is None or extension not in detected.extensions:
        raise ValidationError(
            f"The selected file is not a real {extension} file: its contents do not match its name. "
            f"Upload {ALLOWED_DESCRIPTION}.",
            code="content",
        )
    return detected


def document_clean_name(name: str) -> str:
    """The name the learner knows the file by, without folders or control characters, at most 200 long."""
    base = re.sub(r"[\x00-\x1f\x7f]", "", PurePath(name.replace("\\", "/")).name).strip() or "document"
    suffix = PurePath(base).suffix[:20]
    return base if len(base) <= 200 else base[: 200 - len(suffix)] + suffix


@transaction.atomic
def document_upload(*, candidate: Candidate, actor: User, kind: str, file: UploadedFile) -> Document:
    """Check and store an uploaded file for `candidate`; audited (without the file's name)."""
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": "Select what kind of document this is."})
    if candidate.anonymised_at is not None:
        raise ValidationError("This record has been anonymised: documents cannot be added to it.")
    try:
        file_type = document_validate_file(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    document = Document(
        candidate=candidate,
        kind=kind,
        original_name=document_clean_name(file.name or ""),
        content_type=file_type.content_type,
        size=file.size or 0,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    document.file.save("upload", file, save=False)
    stored_name = document.file.name
    # The file is written before the row: if saving the row fails, remove the file again.
    try:
        document.save()
        audit_log(
            actor=actor,
            action="document.upload",
            obj=candidate,
            data={"document": str(document.public_id), "kind": kind, "type": file_type.content_type},
        )
    except Exception:
        document.file.storage.delete(stored_name)
        raise
    return document


def document_record_download(*, document: Document, actor: User) -> None:
    """Call for every download: who fetched which document is in the audit log."""
    audit_log(
        actor=actor,
        action="document.download",
        obj=document.candidate,
        data={"document": str(document.public_id), "kind": document.kind},
    )


@transaction.atomic
def document_delete(*, document: Document, actor: User) -> None:
    """Delete the document and, once the deletion is committed, its stored file."""
    storage, name = document.file.storage, document.file.name
    audit_log(
        actor=actor,
        action="document.delete",
        obj=document.candidate,
        data={"document": str(document.public_id), "kind": document.kind},
    )
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
