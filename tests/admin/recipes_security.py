"""Admin recipes for the security models: {model: (build(rows, related), [changelist filter query strings])}."""

RECIPES = {}
