"""Account holding's settings (docs/configuration.md "Registration"), contributed by
``portal/settings/apps.py``. Their names kept the ``REGISTRATION_`` prefix when the code moved (ADR 0026): the
environment of a running deployment sets them."""

from portal.env import env_int


def contribute(base) -> dict:
    # Self-service sign-ups per client address per hour, and the days an unverified account signed up by
    # self-service is protected: after that, with no filing submitted meanwhile, a new sign-up for the same
    # credit code may claim it (ADR 0017).
    return {
        "REGISTRATION_SIGNUPS_PER_HOUR": env_int("REGISTRATION_SIGNUPS_PER_HOUR", 30),
        "REGISTRATION_CLAIM_AFTER_DAYS": env_int("REGISTRATION_CLAIM_AFTER_DAYS", 14),
    }
