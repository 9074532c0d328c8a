"""The early-warning pages (预警): the list, one warning with its evidence, acknowledge and close."""
