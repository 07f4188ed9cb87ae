"""What is computed from stored events: incidents, dyad timelines, escalation, the actor network.

Analysis functions take the store and one :class:`~flashpoint.store.query.EventQuery` and return
typed rows (never formatted text); the CLI, the report and the web app choose the format.
"""
