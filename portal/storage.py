"""Production static files storage: whitenoise's hashed, compressed manifest storage."""

from whitenoise.storage import CompressedManifestStaticFilesStorage

from portal.checks import COLLECTSTATIC


class ManifestStaticStorage(CompressedManifestStaticFilesStorage):
    """A file missing from the manifest (collected before the code changed) names the command to run."""

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError as exc:
            raise ValueError(
                f"{exc}: the collected static files are out of date; run {COLLECTSTATIC}"
            ) from exc
