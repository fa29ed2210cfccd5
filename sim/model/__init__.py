"""The model: IndustryModel, its agents, the world it starts from, one module per phase."""
