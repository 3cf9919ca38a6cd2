"""Reasons the portal writes itself are kept for each reader's language (ADR 0025). A filing returned before
this migration keeps its reasons as ``中文 (English)；note``: rebuilt here from the return's reason codes
and the reviewer's note, so its page shows them in one language."""

from django.db import migrations, models

SEPARATORS = {"zh-hans": "；", "en": "; "}


def backfill(apps, schema_editor):
    EntityFiling = apps.get_model("registration", "EntityFiling")
    ReturnReason = apps.get_model("registration", "ReturnReason")
    AuditEvent = apps.get_model("portal", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    filing_type = ContentType.objects.filter(app_label="registration", model="entityfiling").first()
    if filing_type is None:
        return
    reasons = {r.code: r for r in ReturnReason.objects.all()}
    for filing in EntityFiling.objects.filter(status="RETURNED").order_by("pk"):
        if filing.status_reason_text:
            continue
        event = (
            AuditEvent.objects.filter(
                target_type=filing_type, target_id=str(filing.pk), payload__action="return"
            )
            .order_by("-at", "-id")
            .first()
        )
        codes = [c for c in (event.payload or {}).get("reason_codes", []) if c in reasons] if event else []
        note = (filing.decision_note or "").strip()
        rendered = {}
        for language, separator in SEPARATORS.items():
            labels = [
                (reasons[c].label_en or reasons[c].label_zh) if language == "en" else reasons[c].label_zh
                for c in codes
            ]
            rendered[language] = separator.join(part for part in [*labels, note] if part)
        if any(rendered.values()):
            filing.status_reason_text = {"by_language": rendered}
            filing.save(update_fields=["status_reason_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0003_audit_append_only"),
        ("registration", "0008_drafts_hold_no_identity_slot"),
    ]

    operations = [
        migrations.AddField(
            model_name="entityfiling",
            name="status_reason_text",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name="qualificationtask",
            name="reason_text",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
