"""Flask extensions, created unbound and attached in ``create_app``."""

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_smorest import Api
from flask_wtf import CSRFProtect

api = Api()
compress = Compress()  # gzip for answers a client accepts it for (the whole network: 10 MB -> 1.3 MB)
login_manager = LoginManager()
csrf = CSRFProtect()
# storage: RATELIMIT_STORAGE_URI (create_app), so every worker and machine counts in one place
limiter = Limiter(key_func=get_remote_address, default_limits=[])
