#!/usr/bin/env bash
# Train the model only when something it is built from changed since the last training.
set -euo pipefail
cd "$(dirname "$0")/.."

model=models/assistant.tar.gz
stamp=models/.inputs.sha256
inputs=$(find config.yml domain data -type f | LC_ALL=C sort)
# The spaCy pipeline's own stamp hashes everything it is built from (nlu/, the nutrition data).
[ -f build/spacy_pipeline/inputs.sha256 ] && inputs="$inputs build/spacy_pipeline/inputs.sha256"
digest=$( (cat requirements/lock.txt; for f in $inputs; do echo "== $f"; cat "$f"; done) | sha256sum | cut -d' ' -f1)

if [ -f "$model" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
  echo "==> model is up to date ($model); not retraining"
  exit 0
fi
echo "==> training the model (data, domain or config changed)"
start=$(date +%s)
# The domain is a folder of files by area (domain/); Rasa merges them.
.venv/bin/rasa train --domain domain --fixed-model-name assistant --out models --force
echo "$digest" > "$stamp"
echo "==> trained in $(( $(date +%s) - start )) s: $model"
