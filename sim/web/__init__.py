"""The stakeholders' web page (Solara): levers, one run, and the odds of the targets."""
