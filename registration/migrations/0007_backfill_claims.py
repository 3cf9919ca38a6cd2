"""Accounts created by sign-up before ADR 0017: record their holder and whether the bureau verified them.

An organisation counts as created by sign-up when the audit trail has its ``create`` event with
``{"signup": true}``. It is VERIFIED if one of its filings was ever approved (approved, active, suspended,
superseded or revoked), else UNVERIFIED. Its first administrator (the actor of that event) holds it since
it was created, and its filings are attributed to that claim. Organisations made by the operator get no
rows: they count as verified.
"""

from django.db import migrations

DECIDED = ["APPROVED", "ACTIVE", "SUSPENDED", "SUPERSEDED", "REVOKED"]


def backfill(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("portal", "AuditEvent")
    Organisation = apps.get_model("portal", "Organisation")
    EntityFiling = apps.get_model("registration", "EntityFiling")
    OrganisationClaim = apps.get_model("registration", "OrganisationClaim")
    OrganisationVerification = apps.get_model("registration", "OrganisationVerification")
    org_type = ContentType.objects.filter(app_label="portal", model="organisation").first()
    if org_type is None:
        return
    events = AuditEvent.objects.filter(target_type=org_type, verb="create").order_by("at", "id")
    seen = set()
    for event in events:
        if not (event.payload or {}).get("signup") or event.target_id in seen:
            continue
        seen.add(event.target_id)
        organisation = Organisation.objects.filter(pk=event.target_id).first()
        if (
            organisation is None
            or OrganisationVerification.objects.filter(organisation=organisation).exists()
        ):
            continue
        filings = EntityFiling.objects.filter(owner=organisation)
        approved = filings.filter(status__in=DECIDED).order_by("decided_at", "pk").first()
        OrganisationVerification.objects.create(
            organisation=organisation,
            status="VERIFIED" if approved else "UNVERIFIED",
            verified_at=approved.decided_at if approved else None,
            verified_by_id=approved.decided_by_id if approved else None,
            verified_filing=approved,
            verified_note=approved.filing_no if approved else "",
        )
        user = event.actor
        claim = OrganisationClaim.objects.create(
            organisation=organisation,
            code=organisation.code[:18],
            status="HOLDER",
            origin="SIGNUP",
            name_cn=organisation.name_cn,
            name_en=organisation.name_en,
            division_code=organisation.division_code,
            full_name=getattr(user, "full_name", "") or "",
            username=getattr(user, "username", "") or "",
            email=getattr(user, "email", "") or "",
            phone=getattr(user, "phone", "") or "",
            user=user,
            holder_since=organisation.created_at,
            last_attempt_at=organisation.created_at,
        )
        OrganisationClaim.objects.filter(pk=claim.pk).update(created_at=organisation.created_at)
        filings.filter(claim__isnull=True).update(claim=claim)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0003_audit_append_only"),
        ("registration", "0006_organisation_claims_and_legacy_records"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
