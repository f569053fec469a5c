"""Read-only summaries of a package: counts and conflicts."""
