"""Synthetic demo province (``congvu demo``)."""
