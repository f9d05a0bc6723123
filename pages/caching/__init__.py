"""The page cache for anonymous readers, shared by every process, and what empties it; and the
circuit breaker that keeps a hung or dead Redis from slowing every cache use."""
