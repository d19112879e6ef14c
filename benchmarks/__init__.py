"""Rerunnable measurements of the guide (see docs/benchmarks.md)."""
