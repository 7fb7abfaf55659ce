from django_tasks import task

from . import services


@task()
def deliver_mail(mail_id: int) -> str:
    return services.mail_deliver(mail_id=mail_id)
