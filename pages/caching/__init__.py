"""The page cache for anonymous readers, shared by every process, and what empties it."""
