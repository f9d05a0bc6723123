"""The people behind the site's research and news: the Person snippet editors choose as
authors, and its admin."""
