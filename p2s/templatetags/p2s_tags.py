from django import template
from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from common.cache import cached
from common.markdown import markdown_summary, render_markdown
from discovery.search import snippet_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text, top=2):
    """Render user Markdown through the one sanitising renderer; `top` is its
    highest heading level (`|markdown:3` inside a section under an <h2>)."""
    return render_markdown(text, int(top))


@register.filter(name="markdown_summary")
def markdown_summary_filter(text, words=30):
    """User Markdown as a short plain text for a meta tag or an attribute,
    escaped by the template like any other text."""
    return markdown_summary(text, int(words))


@register.simple_tag(takes_context=True)
def absolute_uri(context, path):
    """`path` (e.g. a get_absolute_url or a rendition's url) as a full address
    on the host and scheme of the current request, for crawlers and link
    previews that need one."""
    return context["request"].build_absolute_uri(path)


@register.filter(name="search_snippet")
def search_snippet(story, query):
    """A search hit's snippet for `query`, escaped, its matched words in
    <mark>."""
    return snippet_html(story, query)


@register.filter(name="select_options")
def select_options(field):
    """The <option>s of a bound choice field, the current value selected and
    the field's `disabled_values` (if it has them) other than the current one
    disabled: drawn here rather than by a template loop, which costs tens of
    milliseconds on browse's hundreds of choices."""
    current = field.value()
    disabled = getattr(field.field, "disabled_values", ())
    selected = mark_safe(" selected")  # noqa: S308 (a constant)
    unavailable = mark_safe(" disabled")  # noqa: S308 (a constant)

    def state(value):
        if current == value:
            return selected
        return unavailable if value in disabled else ""

    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (localize(value), state(value), localize(label))
            for value, label in field.field.choices
        ),
    )


class CachedPartNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist, self.name, self.parts = nodelist, name, parts

    def render(self, context):
        name = self.name.resolve(context)
        parts = [part.resolve(context) for part in self.parts]

        def draw():
            if prepare := context.get("prepare_parts"):
                prepare()  # what the page's parts read, read once for them all
            return self.nodelist.render(context)

        return cached(context["request"], f"html:{name}", parts, draw)


@register.tag
def cachedpart(parser, token):
    """`{% cachedpart "name" part… %}…{% endcachedpart %}`: what's inside,
    drawn once for every reader of the request's visibility class and kept
    (common.cache.cached, which adds the class, the site and the library
    version). Only what every reader of the class may see goes inside: never
    an edit link, a CSRF token or a message. A page whose parts share reads
    puts `prepare_parts` in its context: called before a part is drawn."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cachedpart needs a name")
    nodelist = parser.parse(("endcachedpart",))
    parser.delete_first_token()
    name, *parts = (parser.compile_filter(bit) for bit in bits[1:])
    return CachedPartNode(nodelist, name, parts)
