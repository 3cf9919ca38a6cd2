from django import template

register = template.Library()


@register.filter
def comments_for(comments, name):
    """The reviewer comments pinned to field ``name`` (``comments`` maps field names to lists)."""
    if not comments:
        return []
    return comments.get(name, [])


@register.filter
def shown_status(filing, user):
    """The status code this user may see (a rejection awaiting countersignature reads as under review to
    the applicant: the proposal is internal to the bureau)."""
    from registration.presenters import shown_status as shown

    return shown(filing, user)


@register.filter
def shown_status_label(filing, user):
    from registration.choices import FilingStatus
    from registration.presenters import shown_status as shown

    return FilingStatus(shown(filing, user)).label
