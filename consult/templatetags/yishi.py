from django import template

from consult.text import render_markdown

register = template.Library()


@register.filter
def markdown(source: str):
    """Render user Markdown, sanitised."""
    return render_markdown(source)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if mapping else None
