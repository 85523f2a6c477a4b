"""The public catalogue: queries over published content and their JSON forms."""
