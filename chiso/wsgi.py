import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.settings")
application = get_wsgi_application()

# The demo and development run reminders in a thread of the web process. In production (CHISO_PRODUCTION=1) the
# setting defaults to off: the systemd timer and the worker run them, once whatever the number of web
# processes; CHISO_SCHEDULER=thread turns the thread back on explicitly (see chiso.monitoring.reminders.scheduler).
from chiso.monitoring.reminders.scheduler import start_background_scheduler  # noqa: E402

start_background_scheduler()

# Last: what is loaded by now lives as long as the process; later garbage collections skip it.
from chiso.ops.collector import freeze_what_is_loaded  # noqa: E402

freeze_what_is_loaded()
