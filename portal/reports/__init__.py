"""Reports for the participation team: participation by quarter, feedback, conference activity,
their exports, and the import of past records. Every figure is counted in SQL."""
