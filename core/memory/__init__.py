"""Will it fit, and how long: model shapes from config.json, the memory estimator, auto-fit, the preset recommendation
for this machine and the time estimate. Pure arithmetic on configs; no torch needed.
"""
