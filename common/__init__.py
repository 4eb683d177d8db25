"""Small helpers shared by the action server and the Rasa server; they import nothing of
either (and nothing of Rasa), so both may use them."""
