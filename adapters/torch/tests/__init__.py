"""Tests of gradproof-torch: python3 -m unittest discover (in adapters/torch), with Debian's python3-torch."""
