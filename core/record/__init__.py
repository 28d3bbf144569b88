"""What a run leaves behind and says while it runs: the run folder (run.yaml, checkpoints, summary) and the typed events
every layer reports through. Only core.config sits below it.
"""
