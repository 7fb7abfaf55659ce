from django_tasks import task

from . import services

# Ahead of bulk work (an import's or a seed's index updates): a buyer waits for this mail.
MAIL_PRIORITY = 50


@task(priority=MAIL_PRIORITY)
def deliver_mail(mail_id: int) -> str:
    return services.mail_deliver(mail_id=mail_id)
