"""Continuing professional development: advocates log CPD hours and download their record."""
