"""Bulk intake of the shell (Excel and XML uploads run as jobs; docs/developer-guide.md "Bulk intake")."""

from portal.env import env_int, env_str

# --- Bulk intake (Excel and XML uploads run as jobs; docs/developer-guide.md "Bulk intake", ADR 0021) ------
# Caps on what an upload may be before anything parses it: bytes on the wire, data rows, zip parts, bytes
# the workbook unpacks to, compression ratio of any part over 1 MB (a zip bomb is thousands to one; xlsx
# sheets are about ten to one), and empty rows after which reading stops (data further down is refused).
INTAKE_MAX_UPLOAD_BYTES = env_int("INTAKE_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
INTAKE_MAX_ROWS = env_int("INTAKE_MAX_ROWS", 100_000)
INTAKE_ZIP_MAX_ENTRIES = env_int("INTAKE_ZIP_MAX_ENTRIES", 1000)
INTAKE_ZIP_MAX_UNPACKED_BYTES = env_int("INTAKE_ZIP_MAX_UNPACKED_BYTES", 400 * 1024 * 1024)
INTAKE_ZIP_MAX_RATIO = env_int("INTAKE_ZIP_MAX_RATIO", 150)
INTAKE_EMPTY_ROWS_STOP = env_int("INTAKE_EMPTY_ROWS_STOP", 100)
# Problems stored per job (all are counted) and marked in the error workbook.
INTAKE_MAX_PROBLEMS_STORED = env_int("INTAKE_MAX_PROBLEMS_STORED", 10_000)
# A running job whose progress has not moved for this long belonged to a worker that died: the sweeper puts
# it back on the queue (its persist is one transaction, so nothing was kept), at most INTAKE_MAX_ATTEMPTS
# times. A queued job whose task has not started after INTAKE_REQUEUE_SECONDS is published again.
INTAKE_STALE_SECONDS = env_int("INTAKE_STALE_SECONDS", 600)
INTAKE_MAX_ATTEMPTS = env_int("INTAKE_MAX_ATTEMPTS", 3)
INTAKE_REQUEUE_SECONDS = env_int("INTAKE_REQUEUE_SECONDS", 300)
INTAKE_TIME_LIMIT_SECONDS = env_int("INTAKE_TIME_LIMIT_SECONDS", 3600)
INTAKE_QUEUE = env_str("INTAKE_QUEUE", "default")
