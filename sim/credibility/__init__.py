"""Credibility: history, hindcast, moments, calibration by simulated moments and stylized facts."""
