from django import template
from django.urls import reverse

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


@register.inclusion_tag("includes/import_progress.html")
def import_progress(job):
    """``{% import_progress job %}``: an import's live progress bar, outcome and error-workbook link."""
    from portal.intake.progress import count_lines
    from portal.intake.views import progress_payload

    payload = progress_payload(job)
    return {
        "job": job,
        "counts": count_lines(job.counts),
        "p": payload,
        "progress_url": None if payload["done"] else reverse("portal:import-progress", args=[job.public_id]),
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
