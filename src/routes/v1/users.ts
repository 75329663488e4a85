import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { renderCurrentUserV1, renderUserV1 } from '../../domain/users/user-render.js';
import { Envelope, IdParams, Nullable, StringEnum, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';
import { forbidden } from '../../domain/errors.js';
import { requestOrigin } from '../../http/origin.js';

const User = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    default_currency: Type.String(),
    locale: Type.String(),
    lang: Type.Integer(),
    email: Type.String(),
    phone: Nullable(Type.String()),
    activated: Type.Boolean(),
    last_login: Nullable(Type.String()),
    created: Type.String(),
    modified: Type.String(),
    has_created_company: Type.Boolean(),
    access: Type.Array(Type.Object({ app: Type.String(), admin: Type.Boolean(), permission_set_id: Type.String() })),
    active_flag: Type.Boolean(),
    timezone_name: Type.String(),
    timezone_offset: Type.String(),
    role_id: Type.Integer(),
    icon_url: Nullable(Type.String()),
    is_admin: Type.Integer(),
    is_you: Type.Boolean(),
    is_deleted: Type.Boolean(),
  },
  { $id: 'UserV1' },
);

const CurrentUser = Type.Intersect([
  Type.Ref(User),
  Type.Object({
    company_id: Type.Integer(),
    company_name: Type.String(),
    company_domain: Type.String(),
    company_country: Nullable(Type.String()),
    company_industry: Nullable(Type.String()),
    language: Type.Object({ language_code: Type.String(), country_code: Type.String() }),
  }),
]);

const UserAccess = Type.Object(
  {
    app: StringEnum(['global', 'sales', 'campaigns', 'projects', 'account_settings', 'partnership']),
    admin: Type.Optional(Type.Boolean()),
    permission_set_id: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** Pipedrive's addUser body (`email`, `access`, `active_flag`) plus personsd's own `name` and `is_admin`. */
const NewUserBody = Type.Object(
  {
    email: Type.String({ minLength: 3 }),
    name: Type.Optional(Type.String({ description: 'Defaults to the part of the email before the @' })),
    access: Type.Optional(Type.Array(UserAccess, { description: 'An item with admin: true makes the user an admin' })),
    active_flag: Type.Optional(Type.Boolean({ description: 'false adds the user deactivated' })),
    is_admin: Type.Optional(Type.Boolean()),
    default_currency: Type.Optional(Type.String({ description: 'ISO 4217 code; defaults to USD' })),
    timezone_name: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const FindQuery = query({
  term: Type.String({ description: 'Part of the name (or email) to look for; case and accents do not matter' }),
  search_by_email: Type.Optional(StringEnum(['0', '1', 'true', 'false'], { default: '0', description: '1: match the term against email addresses instead of names' })),
});

const tags = ['Users'];

export const usersRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { users } = services;

  app.get('/users', { config: { cost: 20, scopes: ['users:read'] }, schema: { tags, summary: 'Get all users', querystring: query({}), response: { 200: Envelope(Type.Array(Type.Ref(User))) } } }, async (req) => {
    const rows = await users.list(req.actor);
    return { success: true, data: rows.map((u) => renderUserV1(u, req.actor)) };
  });

  app.get(
    '/users/find',
    { config: { cost: 40, scopes: ['users:read'] }, schema: { tags, summary: 'Find users by name (or email)', querystring: FindQuery, response: { 200: Envelope(Type.Array(Type.Ref(User))) } } },
    async (req) => {
      const byEmail = req.query.search_by_email === '1' || req.query.search_by_email === 'true';
      const rows = await users.find(req.actor, req.query.term, byEmail);
      return { success: true, data: rows.map((u) => renderUserV1(u, req.actor)) };
    },
  );

  app.get('/users/me', { config: { cost: 2, scopes: ['base'] }, schema: { tags, summary: 'Get current user data', querystring: query({}), response: { 200: Envelope(CurrentUser) } } }, async (req) => {
    const { user, company } = await users.me(req.actor);
    return { success: true, data: renderCurrentUserV1(user, company, req.actor) };
  });

  app.get('/users/:id', { config: { cost: 2, scopes: ['users:read'] }, schema: { tags, summary: 'Get one user', params: IdParams, querystring: query({}), response: { 200: Envelope(Type.Ref(User)) } } }, async (req) => {
    return { success: true, data: renderUserV1(await users.get(req.actor, req.params.id), req.actor) };
  });

  // personsd extension: the console's invite link, for admins (as `personsd user invite`).
  app.post(
    '/users/:id/invite',
    {
      config: { cost: 10, scopes: ['admin'] },
      schema: {
        tags,
        summary: 'personsd: a one-time link (7 days) where the user chooses a console password (admins only)',
        params: IdParams,
        response: { 200: Envelope(Type.Object({ user_id: Type.Integer(), url: Type.String() })) },
      },
    },
    async (req) => {
      if (!req.actor.isAdmin) throw forbidden('Only admins can invite users', 'Ask an admin of the company.');
      const secret = await services.consoleAuth.createInvite(req.actor.companyId, req.params.id);
      return { success: true, data: { user_id: req.params.id, url: `${requestOrigin(req)}/invite/${secret}` } };
    },
  );

  app.post('/users', { config: { cost: 10, scopes: ['admin'] }, schema: { tags, summary: 'Add a user (admins only)', body: NewUserBody, response: { 200: Envelope(Type.Ref(User)) } } }, async (req) => {
    const user = await users.create(req.actor, req.body);
    return { success: true, data: renderUserV1(user, req.actor) };
  });
};

export { User as UserV1Schema };
