from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exchange.registry import register_message_type
        from registration.messages import MESSAGE_TYPES

        for spec in MESSAGE_TYPES:
            register_message_type(spec)
        from exchange.registry import register_handlers, register_subject_link
        from portal.choices import Role
        from portal.roles import grant
        from portal.seeding import register_seeder
        from portal.ui import register_audit_presenter, register_nav, register_timeline_source
        from registration import links, matrix, panels
        from registration.models import EntityFiling, QualificationTask
        from registration.seeding import seed_registration
        from registration.services import holding, qualifications
        from registration.timeline import describe_filing_event, qualification_timeline

        view_all = "registration.view_all_entityfiling"
        review = "registration.review_entityfiling"
        supervise = "registration.countersign_entityfiling"
        settings_perm = "registration.manage_registration_settings"
        grant(Role.COMMERCE_REVIEWER, view_all, review)
        grant(Role.COMMERCE_SUPERVISOR, view_all, review, supervise, settings_perm)
        # System administrators keep the calendar and the reason list; they do not read filings or their
        # ID scans (ADR 0015).
        grant(Role.SYSTEM_ADMIN, settings_perm)

        for spec in matrix.SPECS.values():
            register_handlers(
                spec.message_type,
                subject=QualificationTask,
                locker=qualifications.lock_tasks,
                on_receipt=qualifications.on_receipt,
                on_failure=qualifications.on_failure,
            )
        # Status updates are about the filing; the register's answer needs no lock on it (it only tells).
        register_handlers(
            "commerce.filing_status",
            subject=EntityFiling,
            locker=qualifications.filings_by_pk,
            on_receipt=qualifications.on_status_receipt,
            on_failure=qualifications.on_status_failure,
        )
        register_subject_link(QualificationTask, links.task_links)
        register_subject_link(EntityFiling, links.filing_links)
        register_timeline_source(EntityFiling, qualification_timeline)
        register_audit_presenter("registration.EntityFiling", describe_filing_event)

        enterprise = [Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR]
        bureau = [Role.COMMERCE_REVIEWER, Role.COMMERCE_SUPERVISOR]
        register_nav(_("Entity filings"), "registration:filings", enterprise, order=10)
        register_nav(_("Filing review"), "registration:queue", bureau, order=10)
        register_nav(_("Who holds an identity"), "registration:identities", bureau, order=15)
        register_nav(
            _("Working-day calendar"),
            "registration:calendar",
            [Role.COMMERCE_SUPERVISOR, Role.SYSTEM_ADMIN],
            order=60,
        )
        register_nav(
            _("Return reasons"),
            "registration:reasons",
            [Role.COMMERCE_SUPERVISOR, Role.SYSTEM_ADMIN],
            order=61,
        )
        panels.register()
        # What the organisation's filings mean when its account changes hands (ADR 0026).
        holding.register()
        register_seeder(seed_registration, order=10)
