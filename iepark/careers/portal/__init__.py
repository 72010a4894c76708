"""The public careers portal: no login, only vetted and public information."""
