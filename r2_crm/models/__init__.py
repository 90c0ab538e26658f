from . import res_company
from . import res_lang
from . import res_users
from . import res_partner
from . import r2_crm_company_mixin
from . import r2_crm_in_use
from . import r2_crm_purpose_mixin
from . import r2_crm_result
from . import r2_crm_level
from . import r2_crm_failure_reason
from . import r2_crm_campaign
from . import r2_crm_device
from . import r2_crm_case
from . import r2_crm_contact
from . import mail_activity
from . import mail_message
from . import account_invoice
from . import r2_crm_campaign_report  # last: its SQL view reads the tables above
