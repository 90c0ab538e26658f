from . import r2_crm_case_fiasco_wizard
