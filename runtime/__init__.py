"""Runtime hardening around Rasa 3.6 and rasa_sdk, without changing either.

- `python -m runtime run ...`   Rasa's CLI with the guards below (runtime/__main__.py also
                                 has the API/auth rules).
- `python -m runtime.actions`    the action server, loopback by default, with an optional
                                 shared-secret header (runtime/actions.py).
- common/settings.py            every limit, read from environment variables.
- `python -m runtime.retention`  deletes conversations older than RETENTION_DAYS (`make
                                 purge`); the Rasa server runs the same purge on a schedule.
- `python -m runtime.supervision` supervisord's event listener for `make run` (restarts).

Where Rasa has an extension point, that is used: the REST webhook's body checks and rate
limit (channels/rest.py) and `GET /ready` (channels/ready.py) are input channels named in
credentials.yml; the tracker and lock stores (tracker_store.py, lock_store.py) are named in
endpoints*.yml. Everything else replaces a Rasa function, all listed in ONE table,
runtime/patches.py (target, replacement, why):

- action_failures.py  RemoteAction.run, MessageProcessor.execute_side_effects,
                      ._run_prediction_loop, .__init__: a time limit for custom actions, an
                      apology instead of silence, a form that asks again, no stuck turns;
- messages.py         Agent.handle_message, MessageProcessor.parse_message: text cleaned and
                      limited, storage outages answered, slash commands only for buttons;
- storage_outages.py  FailSafeTrackerStore's two error callbacks, create_engine_kwargs: no
                      silent fallback to memory, SQL connections checked before use;
- server.py           rasa.core.run.configure_app: request limits without the API, 503 for
                      storage outages in API calls; also where a background job would start;
- inprocess_actions.py EndpointConfig.request: with ACTIONS_MODULE set, the custom actions
                      run inside the Rasa server through rasa-sdk's executor;
- reply_check.py      RemoteAction._validate_action_result (then speedups.py's validator);
- speedups.py         RemoteAction._action_call_format, the processor's DaskGraphRunner,
                      SpacyNLP.load_model; rule_states.py RulePolicy._prediction_states;
                      rule_index.py RulePolicy._get_possible_keys;
                      tracker_copy.py DialogueStateTracker.copy, .applied_events;
                      lean_imports.py ModelMetadata.from_dict (with a lazy import of two
                      Rasa modules and thinc imported without TensorFlow): the same
                      results, faster or in less memory (RUNTIME_SPEEDUPS=off leaves these
                      out, RUNTIME_SPEEDUPS_LEAVE_OUT=<modules> some of them).

Several targets are private to Rasa. Before changing anything, start-up checks that the
installed Rasa is exactly the version the replacements were written for (3.6.21) and that
each target still takes the parameters it took then; otherwise it stops with one line
naming the patch, instead of failing later in a conversation.
"""

import os

# endpoints.yml names ${ACTIONS_MODULE} (empty: the action server; "actions": the actions
# run inside the Rasa server), and Rasa refuses to read a file naming an unset variable.
os.environ.setdefault("ACTIONS_MODULE", "")
