"""The merged HTML's inline SVG drawings, handed to WeasyPrint as images of themselves.

Charts, icons and artwork are inline ``<svg>`` in booklet.html, as the layouts
write them. WeasyPrint draws an inline SVG apart from the page anyway
(weasyprint/html.py, handle_svg), but first it runs the page's cascade on
every element inside it: each circle of a dot chart gets its style and six
pseudo-element styles (marker, footnote and note calls...) that nothing
uses. As ``<img>`` elements of the same SVG the pages come out the same, pixel
for pixel, the drawings are parsed once however often they appear (an icon on
every card), and layout and writing take a fifth less time at 8x.

The images are ``data:`` URLs: only the ones made here are read (the
typesetter's fetcher refuses every other data: URL), and messages name a
drawing by its title. The <img> takes the root's id, class and style, so
the page's CSS selects a drawing by its class; a rule for the element
``svg`` no longer reaches it (the typesetter reports such a selector), and a
rule for ``img`` does.
"""

from __future__ import annotations

import base64
import re
from html import escape
from xml.etree import ElementTree

SVG_NS = "http://www.w3.org/2000/svg"
_SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.DOTALL)
#: Attributes of the root <svg> that the page's CSS matches or applies: copied onto the <img>.
_PAGE_ATTRIBUTES = ("id", "class", "style", "aria-hidden", "role", "lang")
SVG_DATA_URL = "data:image/svg+xml;base64,"

#: SVG's mixed-case names, by their lower case. An HTML parser puts "RECT",
#: "viewbox" or "lineargradient" right for an inline drawing; as an image the
#: drawing is read as XML, where a name is used as written: a drawing with a
#: name in another case than SVG's stays inline.
_MIXED_CASE = {
    name.lower(): name
    for name in """
    altGlyph altGlyphDef altGlyphItem animateColor animateMotion animateTransform clipPath feBlend
    feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap
    feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge
    feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence
    foreignObject glyphRef linearGradient radialGradient textPath
    attributeName attributeType baseFrequency baseProfile calcMode clipPathUnits diffuseConstant edgeMode
    filterUnits gradientTransform gradientUnits kernelMatrix kernelUnitLength keyPoints keySplines keyTimes
    lengthAdjust limitingConeAngle markerHeight markerUnits markerWidth maskContentUnits maskUnits
    numOctaves pathLength patternContentUnits patternTransform patternUnits pointsAtX pointsAtY pointsAtZ
    preserveAlpha preserveAspectRatio primitiveUnits refX refY repeatCount repeatDur requiredExtensions
    requiredFeatures specularConstant specularExponent spreadMethod startOffset stdDeviation stitchTiles
    surfaceScale systemLanguage tableValues targetX targetY textLength viewBox viewTarget
    xChannelSelector yChannelSelector zoomAndPan
    """.split()  # noqa: SIM905 - a hundred names read better as words than as quoted strings
}


def as_images(html: str) -> tuple[str, dict[str, str]]:
    """``html`` with each inline SVG drawing as an ``<img>``; the data: URL of each image, with its title."""
    made: dict[str, tuple[str, str, str] | None] = {}  # one page's drawings, each converted once
    urls: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        svg = match[0]
        if svg not in made:
            made[svg] = _image(svg)
        if made[svg] is None:
            return svg
        tag, url, title = made[svg]
        urls[url] = title
        return tag

    return _SVG.sub(replace, html), urls


def content(url: str) -> bytes:
    """The SVG a data: URL made by as_images() holds."""
    return base64.b64decode(url.removeprefix(SVG_DATA_URL))


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _image(svg: str) -> tuple[str, str, str] | None:
    """The ``<img>`` tag for one inline drawing, its URL and title; None to leave the drawing inline.

    A drawing stays inline when it would not be the same drawing as an image:
    when it is not XML on its own (HTML entities), holds another <svg>, spells
    a name in another case than SVG's, or has a width or height of its
    own (on an inline drawing those act as CSS sizes; on an image they would
    set its intrinsic size instead). And when it has no <title>: that title
    is its alternative text in the tagged screen edition, as an inline
    drawing's is, and an image without one would be a figure without a
    description.
    """
    if svg.count("<svg") != 1:
        return None
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        return None
    if "width" in root.attrib or "height" in root.attrib:
        return None
    for element in root.iter():
        for name in (element.tag, *element.attrib):
            local = _local(name)
            if _MIXED_CASE.get(local.lower(), local.lower()) != local:
                return None
    namespace = SVG_NS if root.tag == f"{{{SVG_NS}}}svg" else ""
    title = root.find(f"{{{SVG_NS}}}title" if namespace else "title")
    alt = " ".join((title.text or "").split()) if title is not None else ""
    if not alt:
        return None
    # The drawing as written, with the SVG namespace an HTML page lets it
    # leave out. Its root keeps its id, class and style: WeasyPrint's SVG
    # renderer reads them (a fill in the style, a rule of its <style>).
    standalone = svg if namespace else svg.replace("<svg", f'<svg xmlns="{SVG_NS}"', 1)
    url = SVG_DATA_URL + base64.b64encode(standalone.encode()).decode("ascii")
    kept = "".join(f' {name}="{escape(root.attrib[name])}"' for name in _PAGE_ATTRIBUTES if name in root.attrib)
    return f'<img{kept} alt="{escape(alt)}" src="{url}">', url, alt
