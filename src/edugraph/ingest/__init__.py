"""Ingest: turn report text into structured records."""
