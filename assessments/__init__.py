"""Framework-free assessment engine: scenarios, rubrics, marks (no Flask, no database)."""
