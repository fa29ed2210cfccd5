"""What it takes: search the levers for the cheapest mixes that reach the targets with stated odds."""
