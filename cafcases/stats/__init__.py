"""Supervisors' statistics: the sets of cases behind each figure (definitions), the figures (figures), percentiles."""
