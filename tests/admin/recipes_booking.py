"""Admin recipes for the booking models: {model: (build(rows, related), [changelist filter query strings])}."""

RECIPES = {}
