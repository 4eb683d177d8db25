"""Small modules shared by the servers that import nothing of Rasa or of the other packages:
button payloads as the domain writes them and as users send them (payloads.py), and the
limits and switches read from the environment (settings.py)."""
