"""Action classes: thin adapters between Rasa and the nutrition core (actions/nutrition)."""
