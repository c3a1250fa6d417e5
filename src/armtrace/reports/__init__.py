"""Reports: what the store shows, as documents people read."""
