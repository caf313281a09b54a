"""Background work (django.tasks): the salt rotation, enqueued when a new day's salt is made."""

from django.tasks import task

from . import services


@task
def salts_rotate_task() -> int:
    return services.salts_rotate()
