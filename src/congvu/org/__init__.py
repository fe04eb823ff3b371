"""Organisation tree, administrative areas and job positions."""
