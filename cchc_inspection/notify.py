"""Tell people what the process asks of them: by email, after the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


def email_users(users, subject, body):
    """Send one plain-text email to each user with an address, once the change is saved."""
    recipients = sorted({u.email for u in users if u.email})
    if not recipients:
        return

    def send():
        for address in recipients:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)

    transaction.on_commit(send)


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path
