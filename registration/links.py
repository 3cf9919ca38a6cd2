"""Where a department desk points for a message about a filing or one of its qualifications: the filing's
page, read-only, when the officer may see the filing (``EntityFiling.objects.visible_to``)."""

from django.utils.translation import gettext_lazy as _

from registration.models import EntityFiling, QualificationTask


def _filing_links(filing_ids, user) -> dict[int, tuple[object, str]]:
    filings = EntityFiling.objects.visible_to(user).filter(pk__in=set(filing_ids))
    return {
        f.pk: (_("Filing %(no)s") % {"no": f.filing_no or f.pk}, f.get_absolute_url())
        for f in filings.only("pk", "filing_no")
    }


def filing_links(pks, user) -> dict[str, tuple[object, str]]:
    """Messages about a filing (status updates to the commerce register)."""
    links = _filing_links([int(pk) for pk in pks if str(pk).isdigit()], user)
    return {str(pk): link for pk, link in links.items()}


def task_links(pks, user) -> dict[str, tuple[object, str]]:
    """Messages about a qualification of a filing: the filing it belongs to."""
    tasks = dict(
        QualificationTask.objects.filter(pk__in=[int(pk) for pk in pks if str(pk).isdigit()]).values_list(
            "pk", "filing_id"
        )
    )
    links = _filing_links(tasks.values(), user)
    return {str(pk): links[filing_id] for pk, filing_id in tasks.items() if filing_id in links}
