"""Input/output channels for messaging platforms and the website chat widget.

Small subclasses of Rasa's own connectors, registered in credentials.yml by module path
(e.g. ``channels.telegram.TelegramInput``). They keep Rasa's behaviour and add what the
platforms need: replies split under each platform's length limit, buttons that degrade to
numbered options where a platform has none, and custom payloads the platform cannot show
(such as the web widget's charts) dropped instead of sent as raw JSON.
"""
