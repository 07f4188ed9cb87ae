"""``python -m flashpoint.cli COMMAND …``: the same as the ``flashpoint`` script."""

from flashpoint.cli import main

main()
