"""Render demo GLBs to PNG with three.js in headless Chromium, to look at what visitors will see.

Run `python -m scenes.demo.preview OUT_DIR [NAME ...]`; needs Debian's chromium and playwright (dev extra).
"""
