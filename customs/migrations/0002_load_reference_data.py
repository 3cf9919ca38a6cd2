"""Load the shipped code lists (customs/data/*.csv), so that ``migrate`` gives a portal that can validate.

Uses the historical models (``apps.get_model``) through the loader, which takes the model classes; later
editions are loaded with ``manage.py load_customs_reference``, not by new migrations.
"""

from django.db import migrations

LISTS = (
    "CustomsOffice",
    "SupervisedSite",
    "Country",
    "Currency",
    "TransportMode",
    "PackageType",
    "Unit",
    "HSCode",
    "ReferenceListInfo",
)


def load(apps, schema_editor):
    from customs.services.reference import reference_load

    reference_load(models={name: apps.get_model("customs", name) for name in LISTS}, record=False)


def unload(apps, schema_editor):
    for name in LISTS:
        apps.get_model("customs", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("customs", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
