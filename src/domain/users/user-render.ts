import type { CompanyRow, UserRow } from '../../store/repositories/users.repository.js';
import type { Actor } from '../actor.js';
import { toV1Time } from '../time.js';

/** A user in Pipedrive's v1 shape. */
export function renderUserV1(user: UserRow, actor: Actor) {
  return {
    id: user.id,
    name: user.name,
    default_currency: user.default_currency,
    locale: user.locale,
    lang: user.lang,
    email: user.email,
    phone: user.phone,
    activated: user.active_flag === 1,
    last_login: toV1Time(user.last_login),
    created: toV1Time(user.created) as string,
    modified: toV1Time(user.modified) as string,
    has_created_company: false,
    access: [{ app: 'sales', admin: user.is_admin === 1, permission_set_id: user.is_admin === 1 ? 'admin' : 'regular' }],
    active_flag: user.active_flag === 1,
    timezone_name: user.timezone_name,
    timezone_offset: user.timezone_offset,
    role_id: user.role_id,
    icon_url: user.icon_url,
    is_admin: user.is_admin,
    is_you: user.id === actor.userId,
    is_deleted: false,
  };
}

/** `GET /users/me`: the user plus the company it belongs to. */
export function renderCurrentUserV1(user: UserRow, company: CompanyRow, actor: Actor) {
  return {
    ...renderUserV1(user, actor),
    company_id: company.id,
    company_name: company.name,
    company_domain: company.domain,
    company_country: company.country,
    company_industry: company.industry,
    language: { language_code: 'en', country_code: 'US' },
  };
}
