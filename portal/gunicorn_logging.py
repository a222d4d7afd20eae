"""gunicorn's logger with the access log's path made safe for its JSON lines
(deploy/gunicorn.conf.py ``logger_class``): the private calendar token hashed, control
characters, quotes and backslashes escaped, so that each request stays one valid JSON line."""

from __future__ import annotations

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

from portal.request_log import loggable_path


def json_safe(text: str) -> str:
    return loggable_path(text).replace("\\", "\\\\").replace('"', '\\"')


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("U", "q", "r"):
            if isinstance(atoms.get(name), str):
                atoms[name] = json_safe(atoms[name])
        return atoms
