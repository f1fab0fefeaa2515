"""Fusing what a story's articles say into one account (events merged across reports)."""
