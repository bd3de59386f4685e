"""Private files: every stored file is sent through a view that has checked permission, never by a public URL.

Works the same on the local media folder and on S3-compatible storage (settings: DJANGO_S3_BUCKET), so a
file stored through one web node or worker downloads through any other. The response streams the object
from storage in chunks rather than loading it into memory.
"""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def private_file_response(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """An attachment response for `file`; 404 when the record has no file or storage has lost it."""
    name = file.name
    if not name or not file.storage.exists(name):
        raise Http404("The file is missing from storage.")
    try:
        handle = file.storage.open(name, "rb")
    except FileNotFoundError as exc:  # removed between the check and the open
        raise Http404("The file is missing from storage.") from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser ever render it, it gets no scripts, no plugins and no access to our origin.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
