"""Pages of the duties app, by audience."""
