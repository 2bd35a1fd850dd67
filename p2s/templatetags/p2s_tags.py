from django import template

from p2s.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user Markdown through the one sanitising renderer."""
    return render_markdown(text)


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
    from stories.search import snippet_html

    return snippet_html(story, query)
