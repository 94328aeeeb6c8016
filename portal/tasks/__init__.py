"""Tasks: the calls a chair makes and the help the coordinators arrange.

The model is portal/models/tasks.py."""
