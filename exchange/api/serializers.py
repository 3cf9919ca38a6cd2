from rest_framework import serializers

from exchange.models import Message, Receipt


class ReceiptSerializer(serializers.ModelSerializer):
    disposition_label = serializers.CharField(source="get_disposition_display", read_only=True)

    class Meta:
        model = Receipt
        fields = [
            "id",
            "receipt_id",
            "department",
            "receipt_type",
            "status_code",
            "info",
            "data",
            "disposition",
            "disposition_label",
            "via",
            "produced_at",
            "received_at",
        ]


class ReceiptRawSerializer(ReceiptSerializer):
    class Meta(ReceiptSerializer.Meta):
        fields = [*ReceiptSerializer.Meta.fields, "content_type", "raw"]


class MessageSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    sender = serializers.CharField(source="sender.code", read_only=True)
    queued_for_unreachable = serializers.BooleanField(source="is_queued_for_unreachable", read_only=True)
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "message_id",
            "department",
            "message_type",
            "business_key",
            "sender",
            "status",
            "status_label",
            "receipt_status",
            "receipt_info",
            "outcome",
            "last_error",
            "created_at",
            "sent_at",
            "acknowledged_at",
            "finished_at",
            "expected_by",
            "overdue_at",
            "queued_for_unreachable",
            "subject",
        ]

    def get_subject(self, message) -> dict | None:
        if not message.subject_type_id:
            return None
        return {
            "type": f"{message.subject_type.app_label}.{message.subject_type.model}",
            "id": message.subject_id,
        }


class MessageDetailSerializer(MessageSerializer):
    receipts = ReceiptSerializer(many=True, read_only=True)

    class Meta(MessageSerializer.Meta):
        fields = [*MessageSerializer.Meta.fields, "receipts"]
