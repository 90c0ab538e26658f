from . import r2_crm_case_fiasco_wizard
from . import r2_crm_campaign_period_wizard
