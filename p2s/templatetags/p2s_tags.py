from django import template

from p2s.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user Markdown through the one sanitising renderer."""
    return render_markdown(text)
