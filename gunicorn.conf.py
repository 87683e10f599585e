# Read by gunicorn from the working directory (the Procfile's `web` process).
# One-time answer tokens in links are masked in the access log (web/security.py).
logger_class = "web.security.TokenMaskingLogger"
