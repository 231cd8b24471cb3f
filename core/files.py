"""Uploaded files, served by one view that asks the app owning each file whether the reader may see it.

Each app names a rule for the first folder of its files' paths in ``settings.YISHI_MEDIA_RULES``
(``{"issues": "issues.files.media_rule", ...}``; core imports no app). A rule gets the request and the
path, and answers ``None`` when no record owns the file (the view then answers 404), else an
:class:`Access`. A file nobody's rule knows is never served. Only the kinds the site stores are served,
with their own content type: photos (re-encoded on upload) inline, PDFs as attachments, and every file
with a sandboxing Content-Security-Policy and ``nosniff``, so nothing uploaded runs from the site's origin.

With ``YISHI_MEDIA_SENDFILE`` set to ``x-accel-redirect`` (nginx) or ``x-sendfile`` (Apache, lighttpd), the
view still decides and sets the headers, and the web server sends the bytes (README: "Behind a web server").
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.module_loading import import_string

TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "pdf": "application/pdf"}
PUBLIC_SECONDS = 3600  # a public file may be cached an hour: an hour is how long a withdrawn one may linger
SANDBOX = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


@dataclass(frozen=True)
class Access:
    allowed: bool
    public: bool = False  # anyone may see it: caches may keep it


def access(request, path: str) -> Access | None:
    """What the rule of the file's app says, or None when no app or record owns ``path``."""
    folder = path.split("/", 1)[0]
    dotted = settings.YISHI_MEDIA_RULES.get(folder)
    return import_string(dotted)(request, path) if dotted else None


def serve(request, path: str) -> HttpResponse:
    """The file at ``path`` under MEDIA_ROOT if its owner's rule lets this reader see it; 404 otherwise (a
    private file's address tells nobody it exists)."""
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if extension not in TYPES or ".." in path.split("/") or path.startswith("/"):
        raise Http404
    found = access(request, path)
    if found is None or not found.allowed:
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    file = (root / path).resolve()
    if root not in file.parents or not file.is_file():
        raise Http404
    mode = getattr(settings, "YISHI_MEDIA_SENDFILE", "")
    if mode == "x-accel-redirect":
        response = HttpResponse(content_type=TYPES[extension])
        response["X-Accel-Redirect"] = settings.YISHI_MEDIA_INTERNAL_URL.rstrip("/") + "/" + path
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=TYPES[extension])
        response["X-Sendfile"] = str(file)
    else:
        response = FileResponse(file.open("rb"), content_type=TYPES[extension])
    name = file.name
    if extension == "pdf":  # never shown inline from our origin: a PDF can carry script
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = f"public, max-age={PUBLIC_SECONDS}" if found.public else "private, no-store"
    return response

