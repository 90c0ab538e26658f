from . import test_rules
from . import test_service_workflow
from . import test_tasks
from . import test_sales
from . import test_campaigns
from . import test_protocols
from . import test_security
from . import test_concurrency
