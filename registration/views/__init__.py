"""Registration pages, split by audience: ``enterprise`` (applicants), ``reviewer`` (commerce bureau),
``public`` (sign-up, verification, live checks), ``files`` (attachments, certificate), ``settings``."""
