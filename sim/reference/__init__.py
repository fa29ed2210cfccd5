"""Generated references: parameter, lever and ODD tables, and units, derived from the schema."""
