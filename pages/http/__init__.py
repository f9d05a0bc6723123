"""What every response carries: health checks and security headers."""
