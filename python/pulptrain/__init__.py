"""pulptrain: frontend, host execution and golden models (PyTorch)."""
