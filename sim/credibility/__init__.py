"""Credibility: history, hindcast, moments, posterior calibration (ABC-SMC, or simulated moments) and stylized facts."""
