"""Analysis of results: probabilities with intervals, sensitivity, scenario discovery, reports and odds."""
