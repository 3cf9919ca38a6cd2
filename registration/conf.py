"""Registration's settings (docs/configuration.md "Registration"), contributed by
``portal/settings/apps.py``."""

from portal.env import env_int

MIB = 1024 * 1024


def contribute(base) -> dict:
    # The commerce bureau's service level in statutory working days (ADR 0013), the largest attachment
    # accepted (ADR 0011; the reverse proxy should cap request bodies a little above it). The sign-up settings
    # are contributed by accounts/conf.py (ADR 0026).
    attachment_max = env_int("REGISTRATION_ATTACHMENT_MAX_BYTES", 10 * MIB)
    return {
        "REGISTRATION_SLA_WORKING_DAYS": env_int("REGISTRATION_SLA_WORKING_DAYS", 5),
        "REGISTRATION_ATTACHMENT_MAX_BYTES": attachment_max,
        # Attachments are uploaded on these paths: the body may be the largest attachment plus the form.
        "REQUEST_BODY_MAX_BYTES_BY_PATH": {
            "/registration/": attachment_max + MIB,
            "/api/v1/registration/": attachment_max + MIB,
        },
    }
