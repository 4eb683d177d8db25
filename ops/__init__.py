"""Tools for running the assistant: reading what happened in its conversations."""
