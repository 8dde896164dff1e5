"""Configuration, wiring, logging and the `aftertwitch` command line."""

__version__ = "0.1.0"
