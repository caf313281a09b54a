"""Logging that cannot leak personal data.

A log line is read by more people, kept longer and copied further than the database. So the
structure keeps personal data out, rather than patterns trying to spot it:
- Django's request loggers attach the whole request (POST body, cookies, headers): dropped.
- Exception messages often carry the values that caused them (``Key (email)=(…) exists``):
  a traceback keeps its frames (file, line, function) and the exception type, never the message.
- Error reports never show POST data, cookies or request headers.
"""

import logging
import traceback

from django.views.debug import SafeExceptionReporterFilter

_ATTACHED_OBJECTS = ("request", "server_time")


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name in _ATTACHED_OBJECTS:
            if hasattr(record, name):
                delattr(record, name)
        return True


class ScrubbedFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have cached the full exception text (message included) on the
        # record; always rebuild it here.
        record.exc_text = None
        return super().format(record)

    def formatException(self, exc_info) -> str:
        _, error, tb = exc_info
        lines = ["Traceback (values withheld: they may hold personal data):"]
        while error is not None:
            frames = traceback.extract_tb(tb)
            lines += [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
            lines.append(f"{type(error).__module__}.{type(error).__qualname__}")
            error = error.__cause__ or error.__context__
            tb = error.__traceback__ if error is not None else None
            if error is not None:
                lines.append("caused by / during handling of:")
        return "\n".join(lines)

    def formatStack(self, stack_info: str) -> str:
        return stack_info


class NoPersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports (admin mails, the debug page) show no request data at all."""

    def is_active(self, request) -> bool:
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
