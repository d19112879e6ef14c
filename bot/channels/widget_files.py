"""``GET /widget/...``: the web chat widget's files, served by the Rasa server itself.

Serving the widget from the guide means one address for everything: a page
embeds ``<script type="module" src="https://guide.example.org/widget/widget.js">``
and the widget talks to the server it came from. Rasa's CORS setting
(``--cors``) covers these routes too, which module scripts loaded from
another site need.

Only the widget's own files and the built files of its three npm packages
(installed by ``npm ci`` in ``widget/``) are served, never the rest of the
folder; a path outside those is answered 404.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Optional

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

WIDGET_DIR = Path(__file__).resolve().parents[2] / "widget"
URL_PREFIX = "/widget"
#: Folders (relative to ``widget/``) whose files may be served, and single files.
SERVED_FOLDERS = (
    "lib",
    "node_modules/marked/lib",
    "node_modules/dompurify/dist",
    "node_modules/socket.io-client/dist",
)
SERVED_FILES = ("widget.js", "widget.css", "demo.html")
#: Browsers run a module script only with a JavaScript type, ``.mjs`` included.
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".map": "application/json; charset=utf-8",
}
#: Short, so a new version of the widget reaches browsers within minutes.
CACHE_CONTROL = "public, max-age=300"


def servable_file(path: str, widget_dir: Path = WIDGET_DIR) -> Optional[Path]:
    """The file ``/widget/<path>`` stands for, or ``None`` if it is not one to serve."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or relative.suffix not in CONTENT_TYPES:
        return None
    allowed = str(relative) in SERVED_FILES or str(relative.parent) in SERVED_FOLDERS
    candidate = widget_dir / relative
    return candidate if allowed and candidate.is_file() else None


def blueprint(widget_dir: Path = WIDGET_DIR) -> Blueprint:
    """The routes serving the widget's files from ``widget_dir``."""
    files = Blueprint("welcome_guide_widget_files", url_prefix=URL_PREFIX)

    @files.route("/<path:path>", methods=["GET", "HEAD"])
    async def widget_file(request: Request, path: str) -> HTTPResponse:
        found = servable_file(path, widget_dir)
        if found is None:
            return response.text("Not found", status=404)
        return await response.file(
            found, mime_type=CONTENT_TYPES[found.suffix], headers={"Cache-Control": CACHE_CONTROL}
        )

    return files
