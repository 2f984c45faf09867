from django import template
from django.utils.safestring import SafeString

from partnerops.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render running-notes Markdown, sanitised."""
    return render_markdown(text)
