"""Settings package: everything comes from the environment (see base.py)."""
