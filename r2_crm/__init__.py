from . import controllers
from . import models
from . import wizards
from . import report
from .hooks import post_init_hook, uninstall_hook
from .database_outage import patch_registry_signaling

patch_registry_signaling()
