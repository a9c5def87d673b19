"""Performance benchmark of the provider against the real engine (``python -m benchmarks.run``).

See :mod:`benchmarks.run` for what is measured and ``benchmarks/results/latest.md`` for the
latest results.
"""
