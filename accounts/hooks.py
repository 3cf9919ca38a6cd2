"""What accounts asks of the apps that file for an organisation (ADR 0026): the documented contract.

Accounts decides who holds an enterprise's account; the apps whose records belong to an account (today only
registration's filings) answer three questions and react to two events. Each app registers its answers once,
in its ``AppConfig.ready``, with ``register_holding_hooks``; accounts never imports them.

* ``takeover_blocked(organisation, *, cutoff) -> bool``: the holder is pursuing something with the bureau
  (a filing with it, decided or in force, or submitted after ``cutoff``), so its unverified account may not
  be taken over by a new sign-up.
* ``in_force(organisation) -> list[str]``: numbers of records approved or in force for the present holder;
  a reassignment waits until they are revoked.
* ``on_retired(organisation, holder, *, by, reason, reason_text, now, only_editable)``: the holder's claim
  is being retired (inside the transaction, with the account locked): keep the app's records under
  ``holder`` and withdraw the open ones. With ``only_editable`` (a takeover) a record already with the
  bureau stops it all: raise ``accounts.hooks.Refused(organisation)``.
* ``on_credit_code(organisation, *, code, by)``: a legacy organisation recorded its credit code (inside the
  transaction): convert the app's open records to it.

Lock order, everywhere: the organisation's ``OrganisationVerification`` row (``accounts.services.claims.
lock_verification``), then its claims, then the app's records.
"""

from dataclasses import dataclass


class Refused(Exception):
    """The code already has an account that cannot be claimed now (the caller records the attempt)."""

    def __init__(self, organisation):
        super().__init__(organisation.pk)
        self.organisation = organisation


@dataclass(frozen=True)
class HoldingHooks:
    app: str
    takeover_blocked: object = None
    in_force: object = None
    on_retired: object = None
    on_credit_code: object = None


_HOOKS: dict[str, HoldingHooks] = {}


def register_holding_hooks(app: str, **hooks) -> None:
    """Register (or replace) an app's answers; the keyword names are those of the module docstring."""
    _HOOKS[app] = HoldingHooks(app=app, **hooks)


def _each(name: str):
    for hooks in _HOOKS.values():
        fn = getattr(hooks, name)
        if fn is not None:
            yield fn


def takeover_blocked(organisation, *, cutoff) -> bool:
    return any(fn(organisation, cutoff=cutoff) for fn in _each("takeover_blocked"))


def in_force(organisation) -> list[str]:
    return [number for fn in _each("in_force") for number in fn(organisation)]


def on_retired(organisation, holder, **kwargs) -> None:
    for fn in _each("on_retired"):
        fn(organisation, holder, **kwargs)


def on_credit_code(organisation, *, code: str, by) -> None:
    for fn in _each("on_credit_code"):
        fn(organisation, code=code, by=by)
