"""Light Markdown for long text fields: paragraphs, emphasis, strong and links, never raw HTML."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

from . import links

# The "zero" preset knows only paragraphs and text; enable the few rules a
# communications team needs. With html=False, tags in the data are shown as the
# literal text, and markdown-it's link validation drops javascript: and the like.
_MARKDOWN = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(
    ["emphasis", "link", "escape", "newline"]
)
# Only web and mail links become links (validation names the others, links.py).
_MARKDOWN.validateLink = links.allowed


def to_html(text: str) -> Markup:
    """Render a Markdown field to HTML paragraphs."""
    return Markup(_MARKDOWN.render(text))
