"""Usernames and email addresses: one policy for every place they enter the portal (ADR 0022).

Usernames are NFKC-normalised (full-width ``ｓｅｌｌｅｒ`` is ``seller``), then must consist of ASCII letters,
digits and ``. _ - @ +`` only: no other script, so no Cyrillic ``ѕ`` passing for a Latin ``s``. A name is also
refused when its *skeleton* — case-folded, look-alike characters mapped to one representative (Cyrillic and
Greek letters that look Latin, ``0``/``o``, ``1``/``l``/``i``, ``rn``/``m``, ``vv``/``w``) — equals that of an
existing username, so ``Seller_Admin``, ``se11er_admin`` and a legacy ``ѕeller_admin`` all collide with
``seller_admin``. The skeleton is stored (``User.username_key``) and unique in the database.

Email addresses are compared and stored lower-cased and trimmed; one address belongs to at most one active
account (a unique index on ``Lower(email)`` over active, non-empty, unmarked rows; accounts that already
shared an address are marked ``email_shared`` by migration 0006). The message for a taken address says only
that it cannot be used.
"""

import re
import unicodedata

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

USERNAME_MAX = 150
_USERNAME_CHARS = re.compile(r"[A-Za-z0-9._@+-]+")

# Lower-case look-alikes of Latin letters in the scripts users meet (Unicode TR39 confusables, the part that
# matters after case folding), and the ASCII characters that are mistaken for one another.
_LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "l", "ї": "l", "ј": "j", "к": "k", "ӏ": "l",
        "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s",
        "ԁ": "d", "ԛ": "q", "ԝ": "w", "ь": "b", "г": "r", "ѵ": "v", "ү": "y",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "l", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "γ": "y", "ω": "w",
        # Latin letters of other alphabets
        "ı": "l", "ɡ": "g", "ɑ": "a", "ℓ": "l",
        # ASCII
        "0": "o", "1": "l", "i": "l", "|": "l",
    }
)  # fmt: skip
_LOOKALIKE_PAIRS = (("rn", "m"), ("vv", "w"))


def normalise_username(raw: str) -> str:
    """The form a username is stored and looked up in: NFKC, surrounding spaces removed."""
    return unicodedata.normalize("NFKC", str(raw or "")).strip()


def username_skeleton(name: str) -> str:
    """What a username looks like, for the look-alike check: equal skeletons are one name to a reader."""
    folded = unicodedata.normalize("NFKC", str(name or "")).casefold()
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", folded) if not unicodedata.combining(ch))
    skeleton = stripped.translate(_LOOKALIKES)
    for pair, single in _LOOKALIKE_PAIRS:
        skeleton = skeleton.replace(pair, single)
    return skeleton[:USERNAME_MAX]


def username_problems(name: str) -> list[str]:
    """What is wrong with an already-normalised username, in the user's language ([] if it may be used)."""
    if not name:
        return [str(_("Choose a username."))]
    if len(name) > USERNAME_MAX:
        return [str(_("A username has at most %(n)d characters.") % {"n": USERNAME_MAX})]
    if not _USERNAME_CHARS.fullmatch(name):
        return [
            str(
                _(
                    "Use only Latin letters a–z, digits and . _ - @ + in a username: other scripts and "
                    "look-alike characters are not allowed."
                )
            )
        ]
    # The user model through Django's setting: ``portal.models.user`` imports this module for the skeleton.
    if get_user_model().objects.filter(username_key=username_skeleton(name)).exists():
        return [str(username_taken_message())]
    return []


def username_taken_message():
    return _("This username is taken, or too similar to one that is. Choose another one.")


def normalise_email(raw: str) -> str:
    return str(raw or "").strip().lower()


def email_in_use(email: str, *, exclude_pk: int | None = None) -> bool:
    """Whether an active account other than ``exclude_pk`` has this address (compared lower-cased)."""
    if not email:
        return False
    others = get_user_model().objects.filter(is_active=True, email__iexact=normalise_email(email))
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def mask_email(email: str) -> str:
    """``li***@example.com``: enough for the owner to recognise, not a new address for whoever reads it."""
    local, _at, domain = (email or "").partition("@")
    return f"{local[:2]}***@{domain}" if domain else "***"


def email_unusable_message():
    """Says no more than that: not whose it is, nor whether that account is active or verified."""
    return _("This email address cannot be used. Choose another one.")
