"""Extraction: clean (normalise + offset map) -> find (numbers, names) -> identity -> relations."""
