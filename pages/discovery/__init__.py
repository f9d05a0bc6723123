"""How readers and search engines find the site: search, feeds, metadata, redirects, robots."""
