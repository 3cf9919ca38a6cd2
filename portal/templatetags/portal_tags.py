from django import template

from portal.timeline import timeline_for

register = template.Library()


@register.inclusion_tag("includes/timeline.html", takes_context=True)
def timeline(context, obj):
    """``{% timeline obj %}``: the object's audit events, messages and receipts, oldest first."""
    return {"entries": timeline_for(obj, context["request"].user), "request": context["request"]}


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
