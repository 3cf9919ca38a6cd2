from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomsConfig(AppConfig):
    name = "customs"
    verbose_name = _("Customs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from customs import tasks  # noqa: F401  (registers the summary job task the services publish by name)
        from customs.messages import MESSAGE_TYPES
        from exchange.registry import register_message_type

        for spec in MESSAGE_TYPES:
            register_message_type(spec)
        self._bind_receipts()
        from portal.choices import Role
        from portal.roles import grant
        from portal.ui import register_nav

        grant(Role.CUSTOMS_OFFICER, "customs.view_all_documents", "customs.view_all_sellerauthorisation")
        from customs.receipts import KINDS
        from customs.timeline import customs_timeline
        from portal.ui import register_timeline_source

        register_timeline_source(list(KINDS), customs_timeline)
        from customs.imports.documents import register as register_document_importers
        from customs.imports.importer import register as register_importers

        register_importers()
        register_document_importers()
        from customs.seeding import seed_customs
        from portal.seeding import register_seeder

        register_seeder(seed_customs, order=30)

        register_nav(_("Customs desk"), "customs:officer", [Role.CUSTOMS_OFFICER], order=20)
        register_nav(_("Customs supervision"), "customs:officer-lists", [Role.CUSTOMS_OFFICER], order=21)
        enterprise = [Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR]
        register_nav(_("Customs declarations"), "customs:lists", enterprise, order=20)
        register_nav(_("Agent authorisations"), "customs:authorisations", enterprise, order=21)
        register_nav(
            _("Monthly summaries"),
            "customs:summaries",
            [Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR],
            order=22,
        )
        register_nav(_("Summary deadlines"), "customs:summary-deadlines", [Role.CUSTOMS_OFFICER], order=23)
        register_nav(
            _("Customs code lists"),
            "customs:reference",
            [Role.CUSTOMS_OFFICER, Role.SYSTEM_ADMIN, Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR],
            order=25,
        )
        register_nav(
            _("Import inventory lists"),
            "customs:list-imports",
            [Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR],
            order=26,
        )

    @staticmethod
    def _bind_receipts():
        """Customs' receipts drive each document (customs.receipts): one binding per CEB type and model."""
        from customs import receipts
        from customs.models import Cancellation, InventoryList, Order, ParcelReport, Payment, Waybill
        from exchange.registry import register_handlers

        for message_type, model in (
            ("CEB303Message", Order),
            ("CEB403Message", Payment),
            ("CEB505Message", Waybill),
            ("CEB603Message", InventoryList),
            ("CEB605Message", Cancellation),
            ("CEB607Message", ParcelReport),
            ("CEB507Message", ParcelReport),
            ("CEB509Message", ParcelReport),
        ):
            register_handlers(
                message_type,
                subject=model,
                on_receipts=receipts.handler(model),
                on_failure=receipts.on_failure,
            )
        from customs import summary_receipts
        from customs.models import ExportDeclaration, SummaryDeclaration

        register_handlers(
            "CEB701Message",
            subject=SummaryDeclaration,
            on_receipt=summary_receipts.on_summary_receipt,
            on_failure=summary_receipts.on_summary_failure,
        )
        register_handlers(
            "tax.declaration_data", subject=ExportDeclaration, on_receipt=summary_receipts.on_tax_receipt
        )
