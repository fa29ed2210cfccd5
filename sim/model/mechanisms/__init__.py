"""The phases of a quarter, one module each; every phase is a function of the model."""
