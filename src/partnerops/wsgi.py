"""WSGI entry point: ``gunicorn partnerops.wsgi`` or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerops.settings")
application = get_wsgi_application()
