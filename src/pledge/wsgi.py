"""The WSGI application: ``granian --interface wsgi pledge.wsgi:application``.

Set up through ``pledge.cli.start``: a missing, malformed or wrong vault key stops the server
with one line, ``pledge: cannot start: ...``, before it serves a page.
"""

from django.core.wsgi import get_wsgi_application

from pledge.cli import start

start(set_prefix=False)  # the handler sets the script prefix of each request
application = get_wsgi_application()
