from django.db import models


class Parcel(models.Model):
    """What the test importer saves: one row of an uploaded workbook or XML file."""

    owner = models.ForeignKey("portal.Organisation", on_delete=models.CASCADE, related_name="+")
    number = models.CharField(max_length=20)
    quantity = models.IntegerField()
    weight = models.DecimalField(max_digits=20, decimal_places=3, null=True)
    value = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    shipped_on = models.DateField(null=True)
    currency = models.CharField(max_length=3, blank=True)
    note = models.CharField(max_length=50, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "number"], name="test_parcel_unique_number")]

    def __str__(self):
        return self.number
