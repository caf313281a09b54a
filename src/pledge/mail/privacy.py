"""The task queue's rows (django-tasks-db, and django-rq with Redis), which the mail app installs.

Pledge passes tasks ids only, never personal data, and its tasks raise errors without values,
so arguments, results and tracebacks hold no personal data.
"""

from pledge.policy.registry import classify_model

classify_model(
    "django_tasks_database.DBTaskResult",
    personal={},
    non_personal=[
        "id",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "args_kwargs",
        "priority",
        "task_path",
        "worker_ids",
        "queue_name",
        "backend_name",
        "run_after",
        "return_value",
        "exception_class_path",
        "traceback",
    ],
)

# With REDIS_URL the RQ backend brings django-rq, whose only model is an unmanaged admin link
# (no table): nothing is stored, and its queue in Redis holds message ids only, as above.
classify_model("django_rq.Dashboard", personal={}, non_personal=["id"])
