"""Pure chart descriptions built from the catalog and the query; no Qt."""
