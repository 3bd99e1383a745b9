"""`python -m exocheck` runs the command line."""

from .entry import main

main()
