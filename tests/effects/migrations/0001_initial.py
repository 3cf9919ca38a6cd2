from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Effect",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("message_id", models.BigIntegerField(db_index=True)),
                ("status", models.CharField(max_length=20)),
                ("receipt_id", models.CharField(max_length=64)),
                ("at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
