"""What each customs receipt code means for the reader, in plain words, and what to do next (DOMAIN §3.6).

``explain(kind, code, info)`` gives the line a document's timeline shows an enterprise (Chinese or English,
by the active language): what happened, and the next step, with customs' reason where it gave one. The raw
``returnStatus`` and ``returnInfo`` are for officers, behind the timeline's technical details.
``kind`` is the document: ``list``, ``order``, ``payment``, ``waybill``, ``cancellation``, ``report``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

INFO, SUCCESS, WARNING, ERROR = "info", "success", "warning", "error"


@dataclass(frozen=True)
class Explanation:
    title: str
    next_step: str
    tone: str


# code → (what happened, what to do next, tone); per kind where the meaning differs.
_COMMON = {
    "1": (
        gettext_noop("Saved at China E-Port, not declared."),
        gettext_noop("Nothing to do; it was not sent to customs."),
        INFO,
    ),
    "2": (
        gettext_noop("China E-Port accepted the declaration."),
        gettext_noop("Nothing to do: customs processes it next."),
        INFO,
    ),
    "3": (
        gettext_noop("China E-Port passed it on to customs."),
        gettext_noop("Nothing to do: customs processes it next."),
        INFO,
    ),
    "4": (
        gettext_noop("China E-Port could not send it to customs."),
        gettext_noop("Send it again; if it fails again, contact the portal's support."),
        ERROR,
    ),
    "100": (
        gettext_noop("Customs rejected it: %(reason)s"),
        gettext_noop("Correct the marked fields and send it again."),
        ERROR,
    ),
    "120": (gettext_noop("Customs entered it into its system."), gettext_noop("Nothing to do."), SUCCESS),
    "300": (
        gettext_noop("Customs is reviewing it by hand."),
        gettext_noop("Nothing to do yet; keep the goods ready for customs' questions."),
        WARNING,
    ),
    "399": (gettext_noop("Customs concluded its processing."), gettext_noop("Nothing to do."), SUCCESS),
    "500": (
        gettext_noop("Customs selected it for inspection: the goods are held."),
        gettext_noop("Keep the goods at the supervised site until the inspection releases them."),
        WARNING,
    ),
    "501": (
        gettext_noop("Customs detained the goods and passed the case to clearance."),
        gettext_noop("Contact the customs office."),
        ERROR,
    ),
    "502": (
        gettext_noop("Customs detained the goods and passed the case to anti-smuggling."),
        gettext_noop("Contact the customs office."),
        ERROR,
    ),
    "503": (
        gettext_noop("Customs detained the goods and passed the case to its legal department."),
        gettext_noop("Contact the customs office."),
        ERROR,
    ),
    "599": (gettext_noop("Customs detained the goods."), gettext_noop("Contact the customs office."), ERROR),
    "700": (
        gettext_noop("Customs ordered the goods returned."),
        gettext_noop("Contact the customs office."),
        ERROR,
    ),
    "800": (
        gettext_noop("Customs released the goods."),
        gettext_noop("Ship them; the departure report closes the list."),
        SUCCESS,
    ),
    "899": (
        gettext_noop("Closed: the goods have left the country."),
        gettext_noop("Nothing to do; the list goes into the month's summary declaration."),
        SUCCESS,
    ),
    "-900": (
        gettext_noop("Customs could not read the message (format error): %(reason)s"),
        gettext_noop(
            "Correct the marked fields and send it again; if the data looks right, contact the portal's "
            "support."
        ),
        ERROR,
    ),
    "-304001": (
        gettext_noop("Customs refused it as a duplicate: the same order was already declared."),
        gettext_noop(
            "Check the order number; if the earlier declaration is wrong, cancel it first, then send this "
            "again."
        ),
        ERROR,
    ),
}
_BY_KIND = {
    "list": {
        "100": (
            gettext_noop("Customs rejected the list: %(reason)s"),
            gettext_noop("Correct the marked fields and resubmit the list."),
            ERROR,
        ),
        "120": (
            gettext_noop("Customs entered the list: its order and waybill matched."),
            gettext_noop("Nothing to do: customs concludes it next."),
            SUCCESS,
        ),
        "399": (
            gettext_noop("Customs concluded the list."),
            gettext_noop("Have the logistics enterprise report the parcel's arrival at the supervised site."),
            SUCCESS,
        ),
    },
    "order": {
        "120": (
            gettext_noop("Customs matched the order with its inventory list."),
            gettext_noop("Nothing to do."),
            SUCCESS,
        )
    },
    "payment": {
        "120": (
            gettext_noop("Customs matched the payment receipt with its inventory list."),
            gettext_noop("Nothing to do."),
            SUCCESS,
        )
    },
    "waybill": {
        "120": (
            gettext_noop("Customs matched the waybill with its inventory list."),
            gettext_noop("Nothing to do."),
            SUCCESS,
        )
    },
    "cancellation": {
        "399": (
            gettext_noop("Customs cancelled the list."),
            gettext_noop("Nothing to do; the order may be declared again."),
            SUCCESS,
        ),
        "100": (
            gettext_noop("Customs refused the cancellation: %(reason)s"),
            gettext_noop(
                "The list stands as it was; contact the customs office if it must still be cancelled."
            ),
            ERROR,
        ),
    },
    "report": {
        "120": (gettext_noop("Customs accepted the report."), gettext_noop("Nothing to do."), SUCCESS),
        "399": (gettext_noop("Customs accepted the report."), gettext_noop("Nothing to do."), SUCCESS),
    },
}
_OTHER_ERROR = (
    gettext_noop("Customs could not process it (code %(code)s): %(reason)s"),
    gettext_noop("Correct what the reason names and send it again; ask the customs office if it is unclear."),
    ERROR,
)
_UNKNOWN = (
    gettext_noop("Customs answered with code %(code)s."),
    gettext_noop("Ask the customs office what it means."),
    INFO,
)


def catalogue(kind: str) -> dict:
    """``{code: (title id, next-step id, tone)}`` for one kind of document (the untranslated ids)."""
    return {**_COMMON, **_BY_KIND.get(kind, {})}


def explain(kind: str, code: str, info: str = "") -> Explanation:
    """The receipt ``code`` of a ``kind`` document in plain words (active language)."""
    entry = catalogue(kind).get(str(code))
    if entry is None:
        entry = _OTHER_ERROR if str(code).startswith("-") else _UNKNOWN
    title, next_step, tone = entry
    params = {"reason": (info or gettext("no reason given")).strip(), "code": code}
    return Explanation(gettext(title) % params, gettext(next_step) % params, tone)
