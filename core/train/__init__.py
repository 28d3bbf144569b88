"""One training run: the session (OOM back-off, NaN rollback, stop), our Trainer and callbacks, model loading, the
probe (a few real steps) and the task families in tasks/.
"""
