"""Credibility: history, hindcast, moments, posterior calibration (ABC-SMC) and stylized facts."""
