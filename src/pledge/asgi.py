"""The ASGI application: ``granian --interface asgi pledge.asgi:application``.

Set up through ``pledge.cli.start``: a missing, malformed or wrong vault key stops the server
with one line, ``pledge: cannot start: ...``, before it serves a page.
"""

from django.core.asgi import get_asgi_application

from pledge.cli import start

start(set_prefix=False)  # the handler sets the script prefix of each request
application = get_asgi_application()
