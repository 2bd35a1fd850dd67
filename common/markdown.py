"""The one renderer for user-written Markdown.

Every place that shows story text (pages, lists, previews, feeds, admin) calls
`render_markdown`. Raw HTML is shown as text, links keep only http, https and
mailto targets, images only come from the site's own media, a Markdown <h1>
becomes an <h2> below the page's own (an <h3> within a section), and nh3
sanitises the result as a last line.
"""

import html
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.utils.html import linebreaks, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def is_own_media(src):
    """True for a path under MEDIA_URL on this site, nothing else."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith("//") or "\\" in src:
        return False
    segments = parts.path.split("/")
    return parts.path.startswith(settings.MEDIA_URL) and ".." not in segments


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class _SafeTree(Treeprocessor):
    def __init__(self, md, top):
        super().__init__(md)
        self.top = top  # the highest heading the text may have

    def run(self, root):
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            if element.tag == "img" and not is_own_media(element.get("src", "")):
                self._replace_with_text(element, parents, element.get("alt", ""))
            elif element.tag in HEADINGS[: self.top - 1]:
                element.tag = f"h{self.top}"  # below the page's own headings

    @staticmethod
    def _replace_with_text(element, parents, text):
        parent = parents[element]
        index = list(parent).index(element)
        replacement = text + (element.tail or "")
        if index == 0:
            parent.text = (parent.text or "") + replacement
        else:
            sibling = parent[index - 1]
            sibling.tail = (sibling.tail or "") + replacement
        parent.remove(element)


class _SafeMarkdown(Extension):
    def __init__(self, top):
        super().__init__()
        self.top = top

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeTree(md, self.top), "p2s_safe_tree", 0)


def _attribute_filter(tag, attribute, value):
    if tag == "img" and attribute == "src" and not is_own_media(value):
        return None
    return value


# Python-Markdown slows down with the square of the number of unclosed
# brackets and recurses once per nesting level: text past these bounds is
# refused by the forms and shown as plain text if it is stored anyway.
MAX_BRACKETS = 1000
MAX_INDENT_COLUMNS = 80  # 20 levels of nesting


def markdown_problem(text):
    """Why `text` is too costly to render as Markdown, or None."""
    if (text or "").count("[") > MAX_BRACKETS:
        return (
            f"Use at most {MAX_BRACKETS} square brackets “[”: each link needs "
            "only one pair."
        )
    for line in (text or "").splitlines():
        indent = len(line) - len(line.lstrip(" \t"))
        if indent and len(line[:indent].expandtabs(4)) > MAX_INDENT_COLUMNS:
            return "Nest lists and quotes at most 20 levels deep."
    return None


def _as_plain_text(text):
    return linebreaks(text, autoescape=True)


def render_markdown(text, top=2):
    """Markdown to sanitised HTML, marked safe for templates. Its headings
    are at most level `top` (2: below the page's <h1>; 3: inside a section
    of the page under an <h2>); a higher one is brought down to it."""
    if markdown_problem(text):
        return mark_safe(_as_plain_text(text))  # noqa: S308 (escaped)
    try:
        html = markdown.markdown(
            text or "",
            extensions=["tables", "fenced_code", "sane_lists", _SafeMarkdown(top)],
            output_format="html",
        )
    except RecursionError:  # nesting beyond the bounds above, in other shapes
        return mark_safe(_as_plain_text(text))  # noqa: S308 (escaped)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 (sanitised by nh3 just above)


def markdown_summary(text, words=30):
    """User Markdown as a short plain text, for a meta tag or an attribute:
    not marked safe, so the template's autoescape escapes every quote."""
    plain = html.unescape(strip_tags(render_markdown(text)))
    return "".join([Truncator(plain).words(words)])
