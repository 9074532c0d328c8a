"""The demo city's made-up map (package data)."""
