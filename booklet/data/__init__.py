"""The booklet's data: reading booklet.yaml, its model and every check of it."""
