"""What a run is asked to do: RunConfig (typed, versioned), presets (load, migrate, validate, resolve) and the app's paths.

The bottom layer: imports nothing else of LapTune.
"""
