"""History of the kernel's own models (core/history.py).

core translates none of its models; this module is where every app sets up its tracking, as
modeltranslation's start-up imports it after the translation registrations (see core/history.py).
"""

from core.history import track
from core.models import UserPreference

# The event table keeps the name it had in the organizations app (core/migrations/0001_initial).
track(UserPreference, db_table="organizations_userpreferenceevent")
