"""Customs' settings (portal/settings/apps.py merges them): request-body caps for the paths that take large
bodies — a batch of 10,000 inventory lists as JSON (about 15 MB), and workbooks or CEB603 files of up to
100,000 lines (the shell's intake caps the file itself at INTAKE_MAX_UPLOAD_BYTES)."""

MB = 1024 * 1024


def contribute(base) -> dict:
    upload = base.get("INTAKE_MAX_UPLOAD_BYTES", 50 * MB) + MB  # the file plus the form around it
    return {
        "REQUEST_BODY_MAX_BYTES_BY_PATH": {
            "/api/v1/customs/inventory-lists/batch/": 40 * MB,
            "/api/v1/customs/imports/": upload,
            "/customs/imports/": upload,
        },
    }
