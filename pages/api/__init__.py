"""The read-only JSON API at /api/v2/ (Wagtail's API v2): live, public pages, and the images and
documents they use. docs/api.md says what it answers and why it answers nothing else."""
