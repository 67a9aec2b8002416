"""Framework-free certificate documents and verification (no Flask, no database)."""
