"""One run's results: quarterly and annual tables, an output folder, and paired comparisons."""
