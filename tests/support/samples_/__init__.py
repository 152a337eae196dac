"""Builders for the sample logs in `samples/`: one module per family of samples, shared pieces in `common`."""
