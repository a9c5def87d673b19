"""Build script for pulumi-zstack.

Package metadata, dependencies and the `zstack-sim` console script are declared in
pyproject.toml; this file lets `pip install -e .` and `python setup.py ...` work with
older tooling too.
"""

from setuptools import setup

setup()
