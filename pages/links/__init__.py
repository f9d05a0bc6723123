"""The link library staff keep, and link health: what every link on the site answers."""
