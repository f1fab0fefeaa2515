"""Annotate stage: an article's entities, quotes, dates and places, each a span into its text."""
