"""The base class of every Celery task here: a message published from the outbox runs once, whoever sent it."""

from celery.contrib.django.task import DjangoTask


class OutboxTask(DjangoTask):
    def __call__(self, *args, **kwargs):
        from outbox.services import claim, finish, message_id_from, release

        message_id = message_id_from(getattr(self.request, "id", None))
        if message_id is None:
            return super().__call__(*args, **kwargs)
        if not claim(message_id):
            return None  # already done, or being done by a live worker
        try:
            result = super().__call__(*args, **kwargs)
        except BaseException:
            release(message_id)  # a retry or a later sweep may run it again
            raise
        finish(message_id)
        return result
