"""Pages of the commerce bureau."""
