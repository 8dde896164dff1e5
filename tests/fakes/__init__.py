"""Fake platform servers on loopback, for tests and benchmarks of the real platform libraries."""
