# syntax=docker/dockerfile:1
# The Rasa server for the scaled-out deployment (docker-compose.yml, helm/values.yaml).
#
# Same Python environment as `make install`: Python 3.10.13, uv 0.13.9 and the hashed
# requirements/lock.txt (Rasa 3.6.21 and friends), so what runs in the container is what
# the tests ran. Build from the repository root after `make train`:
#   docker build -f deploy/rasa.Dockerfile -t magnesium-bot-rasa:dev .
FROM python:3.10.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH HOME=/tmp \
    RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1

RUN python -m venv /opt/venv && pip install --no-cache-dir uv==0.13.9
COPY requirements/lock.txt /tmp/lock.txt
RUN uv pip sync --compile-bytecode --python /opt/venv/bin/python /tmp/lock.txt && rm /tmp/lock.txt

WORKDIR /app
# The NLU pipeline's entity extractor (nlu/) uses the nutrition core (nutrition/); the
# action code (actions/) is not part of this image.
COPY config.yml credentials.yml endpoints.scaled.yml ./
COPY domain/ domain/
COPY nutrition/ nutrition/
COPY common/ common/
COPY nlu/ nlu/
COPY channels/ channels/
COPY runtime/ runtime/
RUN python -m nlu.build_pipeline
COPY models/assistant.tar.gz models/assistant.tar.gz

# No root at run time; nothing in /app needs writing.
RUN useradd --uid 1001 --no-create-home --home-dir /tmp rasa
USER 1001
EXPOSE 5005
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/ready', timeout=4)"

# `python -m runtime` is Rasa's CLI plus the guards (runtime/). The HTTP API stays off
# unless RASA_AUTH_TOKEN or JWT_SECRET is set; CORS origins come after --cors.
ENTRYPOINT ["python", "-m", "runtime"]
CMD ["run", "--model", "models/assistant.tar.gz", "--endpoints", "endpoints.scaled.yml", \
     "--credentials", "credentials.yml", "--port", "5005"]
