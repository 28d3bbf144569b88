"""After training: predict, chat, compare and score checkpoints, export (hf, merged, gguf, ollama).
Never touches a running session's objects; it loads checkpoints from the run folder.
"""
