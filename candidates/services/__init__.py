"""Workflows that write candidate data; one module per concern, each call audited."""
