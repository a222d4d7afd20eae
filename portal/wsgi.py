import os

from django.core.wsgi import get_wsgi_application

from portal.memory import freeze_long_lived_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
application = get_wsgi_application()
freeze_long_lived_objects()  # portal/memory.py
