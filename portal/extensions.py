"""Extensions, created unbound and bound to the app in ``create_app``."""

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from portal.models.base import Base, render_migration_type

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_item=render_migration_type)
csrf = CSRFProtect()
compress = Compress()
login_manager = LoginManager()
talisman = Talisman()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
