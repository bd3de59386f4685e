"""What reporting's pages read (one module per page)."""
