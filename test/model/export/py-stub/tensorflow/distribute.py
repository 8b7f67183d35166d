"""Records nothing; present so attribute access in the scripts resolves."""
