"""Domain logic with no web framework: plain data in, plain data out."""
