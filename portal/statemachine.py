"""The shared shape of a status transition (CONVENTIONS.md, "Business logic and state machines").

A model lists its legal transitions in one table ``{(from_status, verb): to_status}``. A service calls
``check_transition`` after re-reading the row with ``select_for_update()``; an illegal move raises
``TransitionNotAllowed``, which pages show as a message and the API as HTTP 409.
"""

from django.utils.translation import gettext as _


class TransitionNotAllowed(Exception):
    def __init__(self, *, current: str, verb: str, label: str = ""):
        self.current = current
        self.verb = verb
        self.label = label
        super().__init__(
            _("“%(verb)s” is not allowed while the %(label)s is %(current)s.")
            % {"verb": verb, "label": label or _("object"), "current": current}
        )


def check_transition(table: dict[tuple[str, str], str], *, current: str, verb: str, label: str = "") -> str:
    """Return the target status of ``verb`` from ``current`` or raise ``TransitionNotAllowed``."""
    try:
        return table[(str(current), verb)]
    except KeyError:
        raise TransitionNotAllowed(current=str(current), verb=verb, label=label) from None


def allowed_verbs(table: dict[tuple[str, str], str], current: str) -> list[str]:
    return [verb for (src, verb) in table if src == str(current)]
