"""The benchmark's own database: an embedded PostgreSQL server under ``var/bench-pgdata``.

Kept between runs (the data set is generated once); never the development database
(``var/pgdata``) nor the test databases. ``BENCH_PGDATA`` chooses another data directory.

    DATABASE_URL=$(.venv/bin/python bench/database.py)   # prints the URL; the server stops
                                                         # when the last process using it exits
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("BENCH_PGDATA", ROOT / "var" / "bench-pgdata"))


def database_url(data_dir: Path = DATA_DIR) -> str:
    """Start (or join) the benchmark's embedded server and return its ``DATABASE_URL``.

    The server keeps running while this process lives; processes started from it (gunicorn,
    ``manage.py``) connect through the URL.
    """
    sys.path.insert(0, str(ROOT))
    from portal.embedded_postgres import database_settings

    config = database_settings(data_dir)
    host = quote(config["HOST"], safe="")  # a Unix socket directory
    port = f":{config['PORT']}" if config["PORT"] else ""
    return f"postgres://{config['USER']}@{host}{port}/{config['NAME']}"


if __name__ == "__main__":
    print(database_url())
