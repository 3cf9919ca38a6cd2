"""Serializers of the registration API: explicit fields, read and write kept apart, one input per action."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.choices import Role
from portal.models import User
from registration import certificate, clock, presenters, selectors
from registration.choices import (
    IN_FORCE,
    AttachmentKind,
    EconomicType,
    EntityType,
    FilingStatus,
    IdType,
    Qualification,
    ServiceScope,
    Subtype,
)
from registration.models import EntityFiling, FieldComment, FilingAttachment, QualificationTask
from registration.services.review import COMMENTABLE_FIELDS


class OwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name_cn = serializers.CharField()


class ClockSerializer(serializers.Serializer):
    used = serializers.IntegerField(help_text="working days used with the bureau")
    limit = serializers.IntegerField(help_text="service level in working days")
    left = serializers.IntegerField()
    running = serializers.BooleanField(
        help_text="false while returned to the applicant or after the decision"
    )
    overdue = serializers.BooleanField()
    due_on = serializers.DateField(allow_null=True)


class QueuePositionSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="1 = next to be taken up")
    length = serializers.IntegerField(help_text="filings waiting in the queue")


class QualificationSerializer(serializers.ModelSerializer):
    code_label = serializers.CharField(source="get_code_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    message_id = serializers.CharField(
        source="message.message_id", read_only=True, allow_null=True, default=None
    )
    reason = serializers.CharField(
        source="shown_reason", read_only=True, help_text="why it stopped, in the caller's language"
    )

    class Meta:
        model = QualificationTask
        fields = [
            "id",
            "code",
            "code_label",
            "mandatory",
            "status",
            "status_label",
            "identifier",
            "result",
            "reason",
            "attempts",
            "message_id",
            "sent_at",
            "done_at",
        ]


class FilingSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(
        help_text="outside the commerce bureau a rejection awaiting countersignature reads UNDER_REVIEW"
    )
    status_label = serializers.SerializerMethodField()
    status_reason = serializers.CharField(
        source="shown_status_reason", read_only=True, help_text="in the caller's language"
    )
    owner = OwnerSerializer(read_only=True)
    previous = serializers.PrimaryKeyRelatedField(read_only=True)
    assigned_to = serializers.CharField(source="assigned_to.username", read_only=True, default=None)
    legal_rep_id_no = serializers.CharField(source="legal_rep_id_masked", read_only=True)
    clock = serializers.SerializerMethodField()
    queue_position = serializers.SerializerMethodField()
    qualifications = QualificationSerializer(many=True, read_only=True)
    verify_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = EntityFiling
        fields = [
            "id",
            "url",
            "filing_no",
            "version",
            "lineage",
            "previous",
            "owner",
            "entity_type",
            "subtype",
            "status",
            "status_label",
            "status_reason",
            "name_cn",
            "name_en",
            "uscc",
            "org_code",
            "is_legacy_record",
            "customs_code",
            "ciq_code",
            "dxp_id",
            "ft_record_no",
            "tax_filing_no",
            "safe_directory_no",
            "fx_class",
            "division_code",
            "division_note",
            "economic_type",
            "legal_rep_name",
            "legal_rep_id_type",
            "legal_rep_id_no",
            "contact_name",
            "contact_phone",
            "contact_email",
            "address",
            "registered_capital_cny",
            "is_vat_general_taxpayer",
            "platform_urls",
            "service_scopes",
            "payment_licence_no",
            "optional_qualifications",
            "review_round",
            "assigned_to",
            "first_submitted_at",
            "submitted_at",
            "decided_at",
            "activated_at",
            "clock",
            "queue_position",
            "qualifications",
            "verify_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _user(self):
        return getattr(self.context.get("request"), "user", None)

    @extend_schema_field(serializers.ChoiceField(choices=FilingStatus.choices))
    def get_status(self, filing) -> str:
        return presenters.shown_status(filing, self._user())

    def get_status_label(self, filing) -> str:
        return str(FilingStatus(presenters.shown_status(filing, self._user())).label)

    @extend_schema_field(ClockSerializer)
    def get_clock(self, filing) -> dict:
        state = clock.clock_state(filing, calendar=self.context.get("calendar"))
        return {
            "used": state.used,
            "limit": state.limit,
            "left": state.left,
            "running": state.running,
            "overdue": state.overdue,
            "due_on": state.due_on,
        }

    @extend_schema_field(QueuePositionSerializer(allow_null=True))
    def get_queue_position(self, filing) -> dict | None:
        """Position in the bureau's first-come queue while SUBMITTED (one query per response, not per row)."""
        if filing.status != FilingStatus.SUBMITTED:
            return None
        waiting = self.context.get("_waiting")
        if waiting is None:
            waiting = self.context["_waiting"] = selectors.waiting_order()
        if filing.pk not in waiting:
            return None
        return {"position": waiting[filing.pk], "length": len(waiting)}

    def get_verify_url(self, filing) -> str | None:
        return certificate.verify_url(filing) if filing.verify_token and filing.status in IN_FORCE else None

    def get_url(self, filing) -> str:
        return reverse("api:registration-filing-detail", args=[filing.pk])


class FilingWriteSerializer(serializers.Serializer):
    """Draft fields. Formats and rules E-1…E-7 are checked by the services, as on the pages."""

    entity_type = serializers.ChoiceField(choices=EntityType.choices, required=False)
    subtype = serializers.ChoiceField(choices=[("", ""), *Subtype.choices], required=False, allow_blank=True)
    name_cn = serializers.CharField(max_length=100, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    uscc = serializers.CharField(max_length=24, required=False, allow_blank=True)
    org_code = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text="only on a legacy record (is_legacy_record: the organisation has no credit code yet); "
        "otherwise it is characters 9–17 of uscc and any other value is refused",
    )
    customs_code = serializers.CharField(max_length=12, required=False, allow_blank=True, allow_null=True)
    division_code = serializers.CharField(max_length=6, required=False, allow_blank=True)
    division_note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    economic_type = serializers.ChoiceField(choices=EconomicType.choices, required=False)
    legal_rep_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    legal_rep_id_type = serializers.ChoiceField(choices=IdType.choices, required=False)
    legal_rep_id_no = serializers.CharField(max_length=30, required=False, allow_blank=True, write_only=True)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    contact_email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    registered_capital_cny = serializers.DecimalField(
        max_digits=18, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    is_vat_general_taxpayer = serializers.BooleanField(required=False)
    platform_urls = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=20
    )
    service_scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceScope.choices), required=False
    )
    payment_licence_no = serializers.CharField(
        max_length=30, required=False, allow_blank=True, allow_null=True
    )
    optional_qualifications = serializers.ListField(
        child=serializers.ChoiceField(choices=Qualification.choices), required=False
    )

    def validate(self, attrs):
        if self.instance is None and not attrs.get("entity_type"):
            raise serializers.ValidationError({"entity_type": _("This field is required.")}, code="required")
        if self.instance is not None and {"entity_type", "subtype"} & set(attrs):
            raise serializers.ValidationError(
                {
                    "entity_type": _(
                        "The role of a filing cannot change; start a new filing for another role."
                    )
                },
                code="immutable",
            )
        return attrs


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CommentInput(serializers.Serializer):
    field = serializers.ChoiceField(choices=sorted(COMMENTABLE_FIELDS))
    text = serializers.CharField(max_length=2000)


class ReturnInput(serializers.Serializer):
    reason_codes = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    comments = CommentInput(many=True, required=False, default=list)


class CountersignInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["confirm", "decline"])
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AssignInput(serializers.Serializer):
    reviewer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, groups__name=Role.COMMERCE_REVIEWER).distinct()
    )


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True)

    class Meta:
        model = FieldComment
        fields = ["id", "field", "review_round", "text", "author", "created_at"]


class AttachmentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = FilingAttachment
        fields = [
            "id",
            "kind",
            "kind_label",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "created_at",
            "download_url",
        ]

    def get_download_url(self, attachment) -> str:
        return reverse(
            "api:registration-filing-attachment-download", args=[attachment.filing_id, attachment.pk]
        )


class AttachmentUploadInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    file = serializers.FileField(help_text="PDF, JPEG or PNG, at most 10 MB; sniffed by content")


class ProblemSerializer(serializers.Serializer):
    field = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()
    blocking = serializers.BooleanField()


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    actor = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    code = serializers.CharField(help_text="a receipt's status code, as the department sent it")
    tone = serializers.CharField()
    group = serializers.CharField(help_text="empty: the filing itself; qualification:<code>; message:<type>")
    group_label = serializers.CharField()


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    before = serializers.CharField(help_text="the value in the round compared with, in plain language")
    after = serializers.CharField()


class SubmittedFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class SubmissionSerializer(serializers.Serializer):
    """One submission round: the values the bureau received (ID number masked) and what changed."""

    review_round = serializers.IntegerField(source="submission.review_round")
    submitted_at = serializers.DateTimeField(source="submission.submitted_at")
    submitted_by = serializers.CharField(source="submission.submitted_by.display_name", default=None)
    backfilled = serializers.BooleanField(source="submission.backfilled")
    values = serializers.DictField(source="submission.values")
    attachments = SubmittedFileSerializer(source="submission.attachments", many=True)
    compared_with = serializers.SerializerMethodField()
    changes = ChangeSerializer(many=True)
    attachments_added = SubmittedFileSerializer(source="added", many=True)
    attachments_removed = SubmittedFileSerializer(source="removed", many=True)

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"filing": {"type": "integer"}, "review_round": {"type": "integer"}},
        }
    )
    def get_compared_with(self, entry):
        before = entry.compared_with
        return None if before is None else {"filing": before.filing_id, "review_round": before.review_round}
