"""Runtime of learned components; their weights ship as data files with a format marker."""
