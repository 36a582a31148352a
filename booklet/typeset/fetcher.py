"""WeasyPrint's only door to files: the project's own folders, nothing else."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from booklet.typeset import drawings

#: No file the booklet reads (picture, font, stylesheet) should be larger.
MAX_RESOURCE_BYTES = 64 * 1024 * 1024
#: A picture prepared by the build itself (a CMYK print copy of a photo of up
#: to images.MAX_PIXELS pixels) may be larger than its source: four bytes a pixel.
MAX_PREPARED_BYTES = 4 * 64_000_000


class ProjectFetcher(URLFetcher):
    """Serve ``file:`` URLs inside the allowed folders; refuse every other URL.

    WeasyPrint's default fetcher reads any path the process can read and any
    http(s) URL. Data and layouts must not reach outside the project, so every
    refusal is recorded and fails the build with the URL that was asked for.
    """

    def __init__(self, roots: list[Path], build_roots: tuple[Path, ...] = ()) -> None:
        """``roots`` are the project's folders; ``build_roots`` the build's own (prepared pictures)."""
        # fail_on_errors=False: WeasyPrint goes on after a refusal, so that one
        # build reports every refused URL; the typesetter fails the build after.
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self.roots = [root.resolve() for root in (*roots, *build_roots)]
        self.build_roots = [root.resolve() for root in build_roots]
        #: The data: URLs of the drawings of the HTML being laid out, with their
        #: titles (drawings.as_images): the only data: URLs served.
        self.drawings: dict[str, str] = {}
        self._names = ", ".join(f"{root.name}/" for root in roots)
        #: (url, reason) for every URL refused since the list was last cleared.
        self.refused: list[tuple[str, str]] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url in self.drawings:
            return URLFetcherResponse(url, body=drawings.content(url), headers={"Content-Type": "image/svg+xml"})
        try:
            path = self.check(url)
        except PermissionError as error:
            self.refused.append((url, str(error)))
            raise
        return URLFetcherResponse(
            url,
            body=path.read_bytes(),
            headers={"Content-Type": mimetypes.guess_type(path.name)[0] or "application/octet-stream"},
        )

    def check(self, url: str) -> Path:
        """The file ``url`` names, if the booklet may read it; else PermissionError saying why."""
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ftp") or parts.netloc not in ("", "localhost"):
            raise PermissionError("only files inside the project are read, never the network")
        if parts.scheme != "file":
            raise PermissionError(f"only files inside the project are read, not {parts.scheme}: URLs")
        path = Path(unquote(parts.path))
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise PermissionError("no such file") from None
        if not any(resolved.is_relative_to(root) for root in self.roots):
            raise PermissionError(f"is outside the folders the booklet may read ({self._names})")
        if not resolved.is_file():
            raise PermissionError("is not a file")
        prepared = any(resolved.is_relative_to(root) for root in self.build_roots)
        limit = MAX_PREPARED_BYTES if prepared else MAX_RESOURCE_BYTES
        if resolved.stat().st_size > limit:
            raise PermissionError(f"is larger than {limit // 1048576} MB")
        return resolved
