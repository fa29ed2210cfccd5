"""Batch experiments: files, designs, sampled parameters, seeds, workers, resumable folders."""
