"""Tests of the numpy child against PyTorch: python3 -m unittest discover (in examples/numpy)."""
