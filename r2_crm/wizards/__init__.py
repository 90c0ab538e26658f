from . import r2_crm_case_wizard_mixin
from . import r2_crm_case_fiasco_wizard
from . import r2_crm_campaign_period_wizard
from . import r2_crm_case_wait_wizard
from . import r2_crm_contact_sign_wizard
from . import r2_crm_import_wizard
from . import r2_crm_case_quote_wizard
from . import r2_crm_privacy_erase_wizard
