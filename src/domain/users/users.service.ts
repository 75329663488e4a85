import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import * as users from '../../store/repositories/users.repository.js';
import type { CompanyRow, UserRow } from '../../store/repositories/users.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { DomainError, forbidden, invalid, notFound } from '../errors.js';
import { requiredName } from '../field-rules.js';
import { searchForm } from '../normalize/text-fold.js';
import { seedDefaultPipeline } from '../pipelines/default-pipeline.js';
import { nowStored } from '../time.js';

export interface UserInput {
  email: string;
  name?: string;
  /** Pipedrive's per-app access list; any item with `admin: true` makes the user an admin. */
  access?: { app: string; admin?: boolean; permission_set_id?: string }[];
  active_flag?: boolean;
  is_admin?: boolean;
  default_currency?: string;
  timezone_name?: string;
}

export interface NewCompany {
  name: string;
  adminName: string;
  adminEmail: string;
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export class UsersService {
  constructor(private readonly db: Kysely<Database>) {}

  list(actor: Actor): Promise<UserRow[]> {
    return users.listUsers(this.db, actor.companyId);
  }

  /**
   * GET /v1/users/find: the company's users whose name (or, with byEmail, email) contains the term, ignoring case,
   * accents and punctuation spacing as search does, in id order. A company has few users, so they are filtered
   * here rather than by a query whose case folding would differ between SQLite and PostgreSQL.
   */
  async find(actor: Actor, term: string, byEmail: boolean): Promise<UserRow[]> {
    const wanted = searchForm(term);
    if (wanted === '') throw invalid('term must not be empty', 'Send part of a user name, or of an email with search_by_email=1.');
    const all = await users.listUsers(this.db, actor.companyId);
    return all.filter((user) => searchForm(byEmail ? user.email : user.name).includes(wanted));
  }

  async get(actor: Actor, id: number): Promise<UserRow> {
    const user = await users.findUser(this.db, actor.companyId, id);
    if (!user) throw notFound('User not found or not accessible.');
    return user;
  }

  async me(actor: Actor): Promise<{ user: UserRow; company: CompanyRow }> {
    const user = await this.get(actor, actor.userId);
    const company = (await users.findCompany(this.db, actor.companyId)) as CompanyRow;
    return { user, company };
  }

  async create(actor: Actor, input: UserInput): Promise<UserRow> {
    if (!actor.isAdmin) throw forbidden('Only admins can add users', 'Ask an admin of the company, or use an admin token.');
    return addUser(this.db, actor.companyId, input);
  }
}

export async function addUser(db: Executor, companyId: number, input: UserInput): Promise<UserRow> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw invalid(`email "${input.email}" is not a valid email address`);
  const name = requiredName('name', input.name ?? email.slice(0, email.indexOf('@')));
  const isAdmin = input.is_admin ?? input.access?.some((access) => access.admin === true) ?? false;
  const currency = input.default_currency ?? 'USD';
  if (!/^[A-Z]{3}$/.test(currency)) throw invalid(`default_currency must be a three-letter ISO 4217 code; got "${currency}"`);
  if (await users.findUserByEmail(db, companyId, email)) {
    throw new DomainError('invalid', `a user with email ${email} already exists in this company`);
  }
  const now = nowStored();
  const id = await users.insertUser(db, {
    company_id: companyId,
    name,
    email,
    phone: null,
    is_admin: isAdmin ? 1 : 0,
    active_flag: input.active_flag === false ? 0 : 1,
    default_currency: currency,
    locale: 'en_US',
    lang: 1,
    timezone_name: input.timezone_name ?? 'UTC',
    timezone_offset: '+00:00',
    role_id: 1,
    icon_url: null,
    last_login: null,
    created: now,
    modified: now,
  });
  return (await users.findUser(db, companyId, id)) as UserRow;
}

/** Creates a company with its first (admin) user and its default pipeline; run it inside a transaction. */
export async function createCompany(db: Executor, input: NewCompany): Promise<{ companyId: number; admin: UserRow }> {
  const domain = input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'company';
  const companyId = await users.insertCompany(db, { name: input.name, domain, country: null, industry: null, add_time: nowStored() });
  const admin = await addUser(db, companyId, { name: input.adminName, email: input.adminEmail, is_admin: true });
  await seedDefaultPipeline(db, companyId);
  return { companyId, admin };
}
