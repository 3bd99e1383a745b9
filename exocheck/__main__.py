"""`python -m exocheck` runs the command line."""

from .cli import main

main()
