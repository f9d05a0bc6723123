"""Who may do what in the admin (roles as data), and publishing kept for moderators."""
