"""Storage classes of the shell: private files (uploads and generated files, served only through a
permission-checked view) and the production static files storage."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property
from whitenoise.storage import CompressedManifestStaticFilesStorage

from portal.checks import COLLECTSTATIC


class PrivateStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT``; ``url()`` refuses, so nothing can ever link to them directly."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("private files are served only through a permission-checked view")


def private_storage() -> PrivateStorage:
    return PrivateStorage(file_permissions_mode=0o600, directory_permissions_mode=0o700)


class ManifestStaticStorage(CompressedManifestStaticFilesStorage):
    """A file missing from the manifest (collected before the code changed) names the command to run."""

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError as exc:
            raise ValueError(
                f"{exc}: the collected static files are out of date; run {COLLECTSTATIC}"
            ) from exc
