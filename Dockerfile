# The portal image: web (gunicorn), Celery worker and beat, and govmock all run from it (docker-compose.yml).
# Every dependency ships as a wheel for linux/amd64 and arm64 (psycopg2-binary, lxml, cryptography, Pillow),
# so the image needs no compiler.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORTAL_VAR_DIR=/app/var \
    PRIVATE_MEDIA_ROOT=/data/private \
    EXCHANGE_KEY_DIR=/data/exchange \
    GOVMOCK_DB=/data/govmock/govmock.sqlite3

WORKDIR /app

RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --shell /usr/sbin/nologin portal

# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project itself. It runs from /app (settings find templates/ and locale/ next to manage.py), so it is
# installed in editable mode; the compiled translation catalogues (.mo) are part of the source tree.
COPY . .
RUN pip install --no-deps -e .

# Static files collected at build time with the production storage (hashed, compressed; served by
# whitenoise). Settings demand production values when DEBUG is off and refuse any value written down
# (portal/deployment.py), so this step generates throw-away secrets that exist only for it; nothing connects
# to a database here, and the real values come from the environment at run time.
RUN DEBUG=false \
    SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost/build \
    SITE_URL=https://localhost \
    EXCHANGE_CALLBACK_SECRET="$(python -c 'import secrets; print(secrets.token_hex(32))')" \
    FIELD_ENCRYPTION_KEY="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var /data/private /data/exchange /data/govmock \
    && chown -R portal:portal /app/var /data

USER portal

EXPOSE 8000 8001

# The web process; docker-compose.yml gives the worker, beat, govmock and migrate services their commands.
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", \
     "--access-logfile", "-"]
