"""Light Markdown for long text fields: paragraphs, emphasis, strong, links, `left to right`, sub-headings,
lists and block quotes, never raw HTML."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from booklet.data import links

# The "zero" preset knows only paragraphs and text; enable the few rules a
# communications team needs. With html=False, tags in the data are shown as the
# literal text, and markdown-it's link validation drops javascript: and the like.
_MARKDOWN = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(links.RULES)
# `text` in backticks prints left to right, as written: how a writer forces the
# direction of a phrase that booklet/data/direction.py does not recognise on its own.
_MARKDOWN.renderer.rules["code_inline"] = lambda tokens, index, *_: (
    f'<span dir="ltr">{escapeHtml(tokens[index].content)}</span>'
)
# Only web and mail links become links (validation names the others, links.py).
_MARKDOWN.validateLink = links.allowed

#: The heading levels a text may use: the section's own title is the page's h1,
#: so "#" and "##" are its sub-headings (h2), "###" and deeper a level below (h3).
_LEVELS = {"h1": "h2", "h2": "h2"}
#: Classes that tell rich text apart from the layouts' own headings and lists.
_CLASSES = {
    "heading_open": "sub-heading",
    "bullet_list_open": "rich-list",
    "ordered_list_open": "rich-list",
    "blockquote_open": "rich-quote",
}


def to_html(text: str) -> Markup:
    """Render a Markdown field to HTML: paragraphs, and the sub-headings, lists and quotes it holds."""
    tokens = _MARKDOWN.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _LEVELS.get(token.tag, "h3")
        if token.type in _CLASSES:
            token.attrSet("class", _CLASSES[token.type])
        if token.type == "ordered_list_open" and token.attrGet("start") is not None:
            # WeasyPrint 70 ignores <ol start>: a list that starts at 3 counts from 3 by
            # its counter instead (markdown-it gives start as a number of at most 9 digits).
            token.attrSet("style", f"counter-reset: list-item {int(token.attrGet('start')) - 1}")
    return Markup(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))
