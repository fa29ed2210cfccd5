"""Inputs: scenarios, mechanism parameters, levers, base-year data, calibrated values."""
