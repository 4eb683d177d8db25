"""The name both servers use for a request to erase a conversation.

``action_delete_my_data`` (action server) sets this slot to ``True`` after the user
confirmed; the Rasa server's tracker store (runtime/tracker_store.py) sees it among the
events of the turn being saved and deletes the conversation's stored events instead of
saving them. The action server cannot reach the tracker store, and Rasa saves the tracker
after the action runs, so the deletion has to happen at that save.
"""

DELETE_CONVERSATION_SLOT = "delete_conversation"
