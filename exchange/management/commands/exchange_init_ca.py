from django.core.management.base import BaseCommand

from exchange.signing import ca_certificate_pem, certificate_authority


class Command(BaseCommand):
    help = "Create the portal CA (once) in EXCHANGE_KEY_DIR; departments trust its ca.pem."

    def handle(self, *args, **options):
        from django.conf import settings

        certificate_authority()
        ca_certificate_pem()
        self.stdout.write(f"portal CA ready: {settings.EXCHANGE_KEY_DIR}/ca.pem")
