"""Suggestions of category, appeal type and handling unit from an appeal's text (docs/suggest.md)."""
