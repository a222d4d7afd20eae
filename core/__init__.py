"""The portal's kernel: the mechanisms every app uses and none owns.

History and restore, the content generation and the caches keyed on it, the rights mechanism,
the admin's mixins, widgets and site, downloads, charts, translated texts, tree walks, deep
pagination and guarded deletion. The lowest layer (``portal > partnerships > organizations >
core``): it imports none of the apps above it; they register what is theirs (scopes, deletion
guards, tracked models) at start-up.
"""
