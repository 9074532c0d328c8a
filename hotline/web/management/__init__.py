"""Management commands of the workbenches."""
