"""Weapon-system attribution, linking identical items, serial search and first sightings."""
