"""The links Markdown may carry: web and mail addresses only.

A relative link (``../notes.txt``) would be resolved against the build's own
folder and print its absolute path into the PDF; ``//host/share``, ``file:``,
``smb:`` or ``ftp:`` lead to places a reader of the booklet cannot reach.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from markdown_it import MarkdownIt

#: The schemes a web address may have; the only other is mailto (README.md, "What the pipeline trusts").
WEB_SCHEMES = ("https", "http")

#: The Markdown rules the data's long texts may use; markup.py renders with these.
RULES = ["emphasis", "link", "escape", "newline", "backticks", "heading", "list", "blockquote"]

# The same rules as markup.py, with every link kept, so that each can be judged here.
_PARSER = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(RULES)
_PARSER.validateLink = lambda url: True


def allowed(url: str) -> bool:
    """Whether ``url`` is a web address (https:, http: with a host) or a mail address (mailto: with an @)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # an unclosed [ in a host
        return False
    scheme = parts.scheme.lower()
    if scheme in WEB_SCHEMES:
        return bool(parts.hostname)
    return scheme == "mailto" and "@" in parts.path


def refused(text: str) -> list[str]:
    """What is wrong with each link of Markdown ``text`` that is not allowed()."""
    found = []
    for block in _PARSER.parse(text):
        for token in block.children or []:
            if token.type == "link_open" and not allowed(href := str(token.attrGet("href") or "")):
                found.append(
                    f"the link {href!r} is not a web or mail address; a link in a booklet starts with "
                    "https:// or http:// and a host, or is mailto: with an address"
                )
    return found
