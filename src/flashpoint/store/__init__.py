"""The embedded store: analyses in DuckDB tables, read back as records, exported as flat rows.

:class:`Store` (``database.py``) opens, migrates and writes the database; ``rows.py`` maps
records to rows and back; ``query.py`` holds :class:`EventQuery`, the one filter builder every
view uses; ``export.py`` the flat exports. The schema lives in ``schema/NNNN_name.sql``.
Importing this package never loads spaCy.
"""

from flashpoint.store.database import TABLES, ActorCount, Store
from flashpoint.store.export import FLAT_COLUMNS, ExportFormat
from flashpoint.store.query import CERTAINTY_ORDER, Dyad, EventQuery, Where

__all__ = ["Store", "TABLES", "ActorCount", "FLAT_COLUMNS", "ExportFormat", "EventQuery", "Dyad", "Where", "CERTAINTY_ORDER"]
