from . import res_company
from . import res_users
from . import r2_crm_result
from . import r2_crm_case
from . import r2_crm_contact
from . import mail_activity
