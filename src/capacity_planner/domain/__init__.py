"""Plain data and rules: no I/O, no PuLP, no Qt."""
