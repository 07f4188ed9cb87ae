"""The single source of Flashpoint's version (read by pyproject.toml and the CLI)."""

__version__ = "0.1.0"
