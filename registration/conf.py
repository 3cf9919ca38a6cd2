"""Registration's settings (docs/configuration.md "Registration"), contributed by
``portal/settings/apps.py``."""

from portal.env import env_int

MIB = 1024 * 1024


def contribute(base) -> dict:
    # The commerce bureau's service level in statutory working days (ADR 0013), the largest attachment
    # accepted (ADR 0011; the reverse proxy should cap request bodies a little above it), self-service
    # sign-ups per client address per hour, and the days an unverified account signed up by self-service is
    # protected: after that, with no filing submitted meanwhile, a new sign-up for the same credit code may
    # claim it (ADR 0017).
    attachment_max = env_int("REGISTRATION_ATTACHMENT_MAX_BYTES", 10 * MIB)
    return {
        "REGISTRATION_SLA_WORKING_DAYS": env_int("REGISTRATION_SLA_WORKING_DAYS", 5),
        "REGISTRATION_ATTACHMENT_MAX_BYTES": attachment_max,
        "REGISTRATION_SIGNUPS_PER_HOUR": env_int("REGISTRATION_SIGNUPS_PER_HOUR", 30),
        "REGISTRATION_CLAIM_AFTER_DAYS": env_int("REGISTRATION_CLAIM_AFTER_DAYS", 14),
        # Attachments are uploaded on these paths: the body may be the largest attachment plus the form.
        "REQUEST_BODY_MAX_BYTES_BY_PATH": {
            "/registration/": attachment_max + MIB,
            "/api/v1/registration/": attachment_max + MIB,
        },
    }
