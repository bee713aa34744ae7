import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.settings")
application = get_wsgi_application()

# Reminders run on a schedule inside the web process unless CHISO_SCHEDULER=off (see chiso.monitoring.reminders.scheduler).
from chiso.monitoring.reminders.scheduler import start_background_scheduler  # noqa: E402

start_background_scheduler()
