"""Admin recipes for the notifications models: {model: (build(rows, related), [changelist filter query strings])}."""

RECIPES = {}
