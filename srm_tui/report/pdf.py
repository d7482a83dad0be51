"""HTML to PDF with WeasyPrint, fetching only the tool's own template assets.

WeasyPrint is imported here and only when a PDF is made. The URL fetcher serves
files inside the template folders, the configured logo and the images an SVG logo holds
inline (``data:image/...``); anything else (network, other files, other ``data:``) stops
the render, so hostile content cannot fetch anything.

WeasyPrint says nothing to its caller while it lays out, which takes most of the
render; it does log each page it lays out (``weasyprint.progress``), so a handler on
that logger turns those lines into "N pages laid out" for whoever shows progress.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from srm_tui.engine.errors import InputError
from srm_tui.report import parallel as two_cores

INSTALL_HINT = (
    "install it with 'pip install weasyprint' and the Pango library "
    "(Debian/Ubuntu: apt install libpango-1.0-0 libpangoft2-1.0-0; macOS: brew install pango); "
    "the other formats (--format html|json|csv|md) work without it"
)
PDF_VARIANTS = ("pdf/a-3u", "pdf/a-2u", "pdf/ua-1")
LAYING_OUT = "Laying out pages"
WRITING = "Writing the PDF"


class RefusedURL(InputError):
    """A template asked for something outside the allowed files."""


def load_weasyprint():
    """The weasyprint module, or a one-line :class:`InputError` saying how to install it."""
    try:
        import weasyprint  # type: ignore[import-untyped]  # WeasyPrint ships no type hints
    except ImportError:
        raise InputError("weasyprint", None, f"not installed; {INSTALL_HINT}") from None
    except OSError as exc:  # Pango or its friends missing
        first = str(exc).splitlines()[0] if str(exc) else "a library is missing"
        raise InputError("weasyprint", None, f"cannot start ({first}); {INSTALL_HINT}") from None
    return weasyprint


def asset_fetcher(roots: list[Path], files: list[Path]):
    """A fetcher that serves regular files under ``roots`` plus exactly ``files``."""
    from weasyprint.urls import (  # type: ignore[import-untyped]  # no type hints, as above
        FatalURLFetchingError,
        URLFetcher,
        URLFetcherResponse,
    )

    allowed_roots = [r.resolve() for r in roots]
    allowed_files = {f.resolve() for f in files}

    class AssetFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False)

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith("data:image/"):  # an image inside the logo: it fetches nothing
                return inline_image(url, URLFetcherResponse, FatalURLFetchingError)
            path = self._allowed(url)
            if path is None:
                raise FatalURLFetchingError(f"refused to fetch {url[:200]!r}")
            body = path.read_bytes()
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), body, {"Content-Type": kind})

        @staticmethod
        def _allowed(url: str) -> Path | None:
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                return None
            path = Path(unquote(parts.path)).resolve()
            if not path.is_file():
                return None
            if path in allowed_files or any(path.is_relative_to(r) for r in allowed_roots):
                return path
            return None

    return AssetFetcher(), FatalURLFetchingError


def inline_image(url: str, response, refused):
    """The bytes of a ``data:image/...`` URL (base64 or percent-encoded) as a response."""
    head, _, payload = url.partition(",")
    kind = head[len("data:") :].split(";")[0]
    try:
        if head.endswith(";base64"):
            body = base64.b64decode(payload, validate=True)
        else:
            body = unquote_to_bytes(payload)
    except ValueError:
        raise refused(f"a malformed data: URL ({url[:60]!r})") from None
    return response(url[:100], body, {"Content-Type": kind})


def render_pdf(
    html: str,
    base_dir: Path,
    roots: list[Path],
    files: list[Path],
    attachments: list[tuple[str, bytes, str]],
    variant: str | None = None,
    forms: bool = False,
    progress=None,
    parallel: bool = False,
) -> bytes:
    """The PDF bytes: tagged, with the attachments embedded.

    ``progress(step, pages)`` hears when layout starts, after each page laid out
    (``LAYING_OUT`` with the pages so far) and when writing starts (with the number
    of pages). ``parallel`` lays the parts out on two cores when the HTML has the
    bundled skeleton and the machine two cores (:mod:`srm_tui.report.parallel`).
    """
    weasyprint = load_weasyprint()
    fetcher, refused = asset_fetcher(roots, files)
    embedded = [
        weasyprint.Attachment(string=data, name=name, description=description)
        for name, data, description in attachments
    ]
    options = dict(
        pdf_tags=True,
        pdf_variant=variant,
        pdf_forms=forms or None,
        # The bundled fonts are already cut down; embedding them whole skips a
        # slow subsetting pass (about a fifth of the render).
        full_fonts=True,
    )
    report = progress or (lambda step, pages: None)

    def render(text: str, with_attachments: bool = True):
        document = weasyprint.HTML(
            string=text, base_url=base_dir.as_uri() + "/", url_fetcher=fetcher
        ).render(**options)
        extra = {"attachments": embedded} if with_attachments else {}
        return document, lambda: document.write_pdf(**options, **extra)

    try:
        report(LAYING_OUT, None)
        parts = two_cores.split(html) if parallel and two_cores.cores() > 1 else None
        if parts is not None:
            joined = two_cores.render_parallel(parts, render, report)
            if joined is not None:
                return joined
        with pages_reported(progress):
            laid_out, write = render(html)
        report(WRITING, len(laid_out.pages))
        return write()
    except refused as exc:
        raise RefusedURL(
            "template", None, f"{exc}; only files in the template folders and the logo may be used"
        ) from None


class _PageCounter(logging.Handler):
    """Hears WeasyPrint's "Step 5 - Creating layout - Page N" lines.

    A layout may pass over the pages again (page numbers, references); those passes
    count from page 1, so only a page beyond the highest so far is reported: the
    number is how many distinct pages have been laid out, not a share of a total
    (which is not known until layout ends).
    """

    def __init__(self, progress) -> None:
        super().__init__(logging.INFO)
        self.progress = progress
        self.pages = 0

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if not record.msg.startswith("Step 5 - Creating layout - Page") or not args:
            return
        if not isinstance(args, tuple):  # one mapping for %(name)s: no page number
            return
        page = args[0]
        if isinstance(page, int) and page > self.pages:
            self.pages = page
            self.progress(LAYING_OUT, page)


@contextlib.contextmanager
def pages_reported(progress):
    """While laying out, tell ``progress(LAYING_OUT, pages)`` after each new page."""
    if progress is None:
        yield
        return
    logger = logging.getLogger("weasyprint.progress")
    handler = _PageCounter(progress)
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # these lines are for the counter, not for other handlers
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
