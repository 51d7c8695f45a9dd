"""The web front end: one blueprint per audience, calling core/ and store/ and rendering templates."""
