from django.db import models


class Effect(models.Model):
    """One business effect of one applied receipt (deliberately without a unique constraint)."""

    message_id = models.BigIntegerField(db_index=True)
    status = models.CharField(max_length=20)
    receipt_id = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.message_id} {self.status}"
