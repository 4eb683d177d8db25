"""The development harness: what the tests and the benchmarks use to drive the assistant.

- ``harness.paths``: where the repository, the trained model, the domain and the built widget are.
- ``harness.net``: free ports, one HTTP request, reachability, waiting, running starters in
  parallel, the tail of a log.
- ``harness.stack``: ``BotStack`` (an action server plus a Rasa server as subprocesses, our bot
  or a stock one) and ``WebServer`` (the built chat widget on a local port).
- ``harness.faults``: generic misbehaving servers for fault tests (``HangingServer``,
  ``TcpProxy``).
- ``harness.entities``: the labelled entity sentences and how an entity is keyed and scored.
- ``harness.domain``: the domain, every file of ``domain/`` merged as Rasa merges them.

Not part of the shipped assistant: nothing in actions/, runtime/, nlu/ ... imports it.
"""
