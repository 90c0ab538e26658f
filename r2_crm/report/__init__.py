from . import r2_crm_protocol
from . import r2_crm_quote
