"""Tooling for the RevOps warehouse: raw-data generator, landing checks, structure check."""
