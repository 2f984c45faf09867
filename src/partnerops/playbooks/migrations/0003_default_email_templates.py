"""Default email templates (seeds 003 and 004), editable afterwards by administrators."""

from django.db import migrations

TEMPLATES = [
    (
        "hail-the-lead",
        "Hail the Lead",
        "Thank you for your interest in {{ our_name }}",
        "Hello!\n\n"
        "Thank you for your interest in learning more about {{ our_name }}. Please find a service description "
        "with pricing information attached to this email. If you have questions or wish to connect for a "
        "conversation, reach out to us by email using {{ partnerships_email }} or schedule a virtual meeting "
        "here: {{ scheduling_link }}\n\n"
        "Best regards,\n{{ our_name }}'s Partnerships Team\n",
    ),
    (
        "running-notes-shared",
        "Running notes shared",
        "Running notes -- {{ partner }} + {{ our_name }}",
        "Hello{% if representative %} {{ representative.name }}{% endif %},\n\n"
        "We have started a running-notes document for our conversations; you can read and edit it here:\n"
        "{{ link }}\n\nBest regards,\n{{ owner|default:our_name }}\n",
    ),
    (
        "confirm-service",
        "Confirm service",
        "Confirming your {{ tier }} service with {{ our_name }}",
        "Hello{% if representative %} {{ representative.name }}{% endif %},\n\n"
        "Thank you for choosing {{ our_name }}. This confirms the {{ tier }} service{% if price %} at {{ price }}{% endif %}. "
        "Please reply to confirm, or let us know any questions.\n\n"
        "{{ fiscal_sponsor }} will contact you to set up billing.\n\nBest regards,\n{{ owner|default:our_name }}\n",
    ),
    (
        "signature-request",
        "Signature request to the fiscal sponsor",
        "Please circulate the {{ partner }} agreement for signature",
        "Hello {{ fiscal_sponsor }} team,\n\n"
        "The services agreement with {{ partner }} is ready to sign. Could you please circulate the executable "
        "agreement for signature by all signatories?\n\nThank you,\n{{ owner|default:our_name }}\n",
    ),
]


def seed(apps, schema_editor):
    EmailTemplate = apps.get_model("playbooks", "EmailTemplate")
    for key, name, subject, body in TEMPLATES:
        EmailTemplate.objects.get_or_create(
            key=key, defaults={"name": name, "subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("playbooks", "0002_emailtemplate")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
