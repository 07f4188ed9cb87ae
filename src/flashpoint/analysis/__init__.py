"""Analyses over the stored event data: escalation alerts, labels and phases."""
