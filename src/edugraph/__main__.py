"""`python -m edugraph`."""

from edugraph.cli import main

main()
