"""The `laptune ...` command line, its terminal progress display and the frozen app's self-test. The top of core/:
the GUI calls into it, nothing in core/ imports it.
"""
