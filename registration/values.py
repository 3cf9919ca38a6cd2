"""A filing field's value in plain language (choices by label, lists one per line, amounts and divisions as
people read them): what the filing's pages and its submission history show. Kept apart from
``presenters`` so that ``history`` (which ``presenters`` uses) can read values too without an import cycle."""

from django.utils.translation import gettext as _

from portal import identifiers, texts
from portal.divisions import division_label
from registration.choices import Qualification, ServiceScope


def shown_value(filing, name: str, *, reveal_id: bool) -> str:
    """A field's value as the pages show it; the ID number masked unless ``reveal_id``."""
    if name == "legal_rep_id_no":
        return filing.legal_rep_id_no if reveal_id else filing.legal_rep_id_masked
    value = getattr(filing, name)
    display = getattr(filing, f"get_{name}_display", None)
    if display is not None and value:
        return str(display())
    if name == "division_code" and value:
        return division_label(value)
    if name == "org_code":
        return identifiers.printed(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "registered_capital_cny" and value is not None:
        return texts.amount(value)
    if name == "service_scopes":
        return texts.join_list(ServiceScope(v).label for v in value if v in ServiceScope.values)
    if name == "optional_qualifications":
        return texts.join_list(Qualification(v).label for v in value if v in Qualification.values)
    if isinstance(value, list):
        return "\n".join(value)
    return "" if value is None else str(value)


def plain_value(filing, name: str) -> str:
    """A field's value in plain language, the ID number masked."""
    return shown_value(filing, name, reveal_id=False)
