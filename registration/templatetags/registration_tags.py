from django import template

register = template.Library()


@register.filter
def comments_for(comments, name):
    """The reviewer comments pinned to field ``name`` (``comments`` maps field names to lists)."""
    if not comments:
        return []
    return comments.get(name, [])
