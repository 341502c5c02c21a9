"""Template filters for the console."""

from django import template

register = template.Library()


@register.filter
def link_name(kind: str) -> str:
    """A cluster link's kind as words: payment_fingerprint → payment fingerprint."""
    return str(kind).replace("_", " ")
