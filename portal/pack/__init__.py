"""The chair's pre-conference pack: everything said for one conference, on one page."""
