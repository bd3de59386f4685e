"""Benchmarks run by `make bench` against a scratch database; never part of the pytest run."""
