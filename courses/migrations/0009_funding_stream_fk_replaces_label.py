"""The funding stream foreign keys take the place of the free-text labels (0008 copied them over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("courses", "0008_funding_stream_labels_to_streams")]

    operations = [
        migrations.RemoveField(model_name="course", name="funding_stream"),
        migrations.RenameField(model_name="course", old_name="funding_stream_ref", new_name="funding_stream"),
        migrations.RemoveField(model_name="supportpayment", name="funding_stream"),
        migrations.RenameField(model_name="supportpayment", old_name="funding_stream_ref", new_name="funding_stream"),
    ]
