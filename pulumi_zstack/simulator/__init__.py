"""A local simulator of the ZStack REST API, for tests, demos and benchmarks.

Run it with ``python -m pulumi_zstack.simulator`` (or ``zstack-sim``); drive it from
Python with :class:`~pulumi_zstack.simulator.process.SimulatorProcess` and
:class:`~pulumi_zstack.simulator.process.SimulatorControl`. ``docs/simulator.md``
is the reference of its options, seed format and control plane.
"""
