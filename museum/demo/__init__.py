"""The demo museum: a hospital-history collection in three languages, as plain data."""
