"""Entry point when the Pulumi CLI runs this directory (``pulumi up``)."""

from program import main

main()
