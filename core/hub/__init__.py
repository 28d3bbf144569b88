"""Getting models: downloads with progress, resume and cancel, mirrors, ModelScope and the local model cache.
"""
