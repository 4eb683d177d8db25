# syntax=docker/dockerfile:1
# The action server: rasa_sdk's own image (same version as requirements/lock.txt) with the
# project's actions and the guarded entry point runtime/actions.py. Build from the
# repository root:
#   docker build -f deploy/actions.Dockerfile -t magnesium-bot-actions:dev .
FROM rasa/rasa-sdk:3.6.2

USER root
# The nutrition core reads its tables with PyYAML (version as in requirements/lock.txt).
RUN pip install --no-cache-dir "PyYAML==6.0.2"
WORKDIR /app
COPY actions/ /app/actions/
COPY nutrition/ /app/nutrition/
COPY common/ /app/common/
COPY runtime/__init__.py runtime/actions.py /app/runtime/
USER 1001

# Listens on every interface of the container, so it refuses to start without
# ACTION_SERVER_SECRET; Rasa sends the secret (endpoints.scaled.yml `headers:`).
ENV SANIC_HOST=0.0.0.0
EXPOSE 5055
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=4)"
ENTRYPOINT ["python", "-m", "runtime.actions"]
CMD ["--actions", "actions", "--port", "5055"]
