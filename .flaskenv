# Non-secret settings, read by the flask command through python-dotenv.
# Secrets and DATABASE_URL belong in .env (see .env.example).
FLASK_APP=project
