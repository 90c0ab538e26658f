from . import r2_crm_protocol
