"""Evaluation and benchmarks of the guide: `python -m evals`."""
