#!/usr/bin/python3
"""Regenerates every tutorial notebook from its script (t*.py in this folder), stored clean."""
import glob, os, runpy, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
only = sys.argv[1:]
for script in sorted(glob.glob(os.path.join(HERE, "t[0-9]*.py"))):
    if only and not any(o in os.path.basename(script) for o in only):
        continue
    runpy.run_path(script, run_name="__main__")
    print("wrote", os.path.basename(script))
