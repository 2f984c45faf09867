"""``python -m partnerops``: the same as the console script."""

from partnerops.cli import main

main()
