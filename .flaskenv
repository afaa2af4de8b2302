# Non-secret settings, read by the flask command through python-dotenv.
# APP_ENV: without it the app is production (wsgi.py under gunicorn), which refuses
# to start without a real SECRET_KEY.
# Secrets and DATABASE_URL belong in .env (see .env.example).
FLASK_APP=project
APP_ENV=development
