from django import template

from portal import texts
from portal.timeline import sees_technical_details, timeline_groups

register = template.Library()


@register.inclusion_tag("includes/timeline.html", takes_context=True)
def timeline(context, obj):
    """``{% timeline obj %}``: the object's story, one line per business event, grouped (the object's own
    events, then each department or qualification); technical details for officers and administrators."""
    user = context["request"].user
    return {
        "groups": timeline_groups(obj, user),
        "technical": sees_technical_details(user),
        "request": context["request"],
    }


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (for sorting/pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def list_join(items, attribute: str = ""):
    """``{{ roles|list_join:"label" }}``: a list as the active language writes one ("甲、乙"; "a, b")."""
    return texts.join_list(getattr(item, attribute) if attribute else item for item in items)
