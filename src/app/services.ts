import { randomBytes } from 'node:crypto';
import { authenticateToken } from '../domain/access/authenticate.js';
import { ConsoleAuthService } from '../domain/access/console-auth.service.js';
import { cacheAuthenticationWhileUnchanged } from '../domain/access/authentication-cache.js';
import type { Authenticated } from '../domain/access/credential.js';
import { type TokenRejection, explainRejectedToken } from '../domain/access/token-rejection.js';
import type { Actor } from '../domain/actor.js';
import { CursorCodec } from '../domain/cursor.js';
import { DealsService, unlinkDealsOnDelete } from '../domain/deals/deals.service.js';
import { PipelinesService } from '../domain/pipelines/pipelines.service.js';
import { StagesService } from '../domain/pipelines/stages.service.js';
import { DealsV1Service } from '../domain/deals/deals-v1.service.js';
import { NotesService, notesOnPersonDelete } from '../domain/notes/notes.service.js';
import { FiltersService } from '../domain/filters/filters.service.js';
import { NoteCommentsService } from '../domain/notes/note-comments.service.js';
import { ActivitiesService } from '../domain/activities/activities.service.js';
import { activitiesOnPersonDelete } from '../domain/activities/activity-person-links.js';
import { ActivityTypesService } from '../domain/activities/activity-types.service.js';
import { activityWebhookShape } from '../domain/webhooks/activity-webhook-shape.js';
import { type PersonCounts, countPersonRelations } from '../domain/persons/person-counts.js';
import { PersonFollowersService } from '../domain/persons/person-followers.service.js';
import { recordPersonHistory } from '../domain/persons/history-recorder.js';
import { recordDealHistory, recordOrganizationHistory } from '../domain/history/record-history-recorder.js';
import { RecordHistoryService } from '../domain/history/record-history.service.js';
import { DealMergeService } from '../domain/deals/deal-merge.service.js';
import { PersonHistoryService } from '../domain/persons/person-history.service.js';
import { permittedUsersOf } from '../domain/persons/person-visibility.js';
import { PersonPicturesService } from '../domain/persons/person-pictures.service.js';
import { PersonMergeService } from '../domain/persons/person-merge.service.js';
import { OrganizationsService } from '../domain/organizations/organizations.service.js';
import { OrganizationsV1Service } from '../domain/organizations/organizations-v1.service.js';
import { OrganizationMergeService } from '../domain/organizations/organization-merge.service.js';
import { FieldsService, type PersonFieldsService } from '../domain/person-fields/person-fields.service.js';
import { RecordFollowersService } from '../domain/record-followers/record-followers.service.js';
import { UserAccessService } from '../domain/users/user-access.service.js';
import { PersonsService } from '../domain/persons/persons.service.js';
import { rememberedMandatoryFieldCheck } from '../domain/persons/person-custom-fields.js';
import { PersonsV1Service } from '../domain/persons/persons-v1.service.js';
import { rememberedFields } from '../domain/person-fields/remembered-fields.js';
import { dealSearchListener, organizationSearchListener, personSearchListener, rebuildSearchIndexIfStale } from '../domain/search/search-index.js';
import { SearchService } from '../domain/search/search.service.js';
import { UsersService } from '../domain/users/users.service.js';
import { dealWebhookShape } from '../domain/webhooks/deal-webhook-shape.js';
import { type Clock, systemClock } from '../domain/webhooks/delivery-policy.js';
import type { DeliveryTargets } from '../domain/webhooks/delivery-targets.js';
import { organizationWebhookShape } from '../domain/webhooks/organization-webhook-shape.js';
import { personWebhookShape } from '../domain/webhooks/person-webhook-shape.js';
import { noteWebhookShape } from '../domain/webhooks/note-webhook-shape.js';
import { WebhookOutbox } from '../domain/webhooks/webhook-outbox.js';
import { WebhooksService } from '../domain/webhooks/webhooks.service.js';
import { ensureSetting } from '../store/repositories/settings.repository.js';
import type { Region } from '../domain/normalize/contact-keys.js';
import { DuplicatesService } from '../domain/identity/duplicates.service.js';
import { rebuildIdentityKeysIfStale } from '../domain/identity/identity-rebuild.js';
import { unlinkPersonsOfDeletedOrganization } from '../domain/persons/organization-unlink.js';
import { IdentitySettings } from '../domain/identity/identity-settings.js';
import { PersonUnmergeService } from '../domain/persons/person-unmerge.service.js';
import { PersonExportService } from '../domain/transfer/person-export.service.js';
import { PersonImportService } from '../domain/transfer/person-import.service.js';
import type { Store } from '../store/db.js';
import { pendingMigrations } from '../store/migrate.js';
import { Tenants } from '../domain/admin/tenants.js';
import { joinOuterTransaction } from '../store/joined-transaction.js';
import type { WriteListener } from '../domain/write-events.js';
import type { PersonRow } from '../store/repositories/persons.repository.js';
import type { OrganizationRow } from '../store/repositories/organizations.repository.js';
import type { DealRow } from '../store/repositories/deals.repository.js';
import type { NoteRow } from '../store/repositories/notes.repository.js';
import type { ActivityRow } from '../store/repositories/activities.repository.js';

/** Everything the routes call, built once per process from the store. Holds no state a restart would lose. */
export interface Services {
  store: Store;
  persons: PersonsService;
  /** The v1 persons API: v1 bodies through PersonsService, v1-shaped reads. */
  personsV1: PersonsV1Service;
  personFields: PersonFieldsService;
  organizationFields: FieldsService;
  dealFields: FieldsService;
  organizationFollowers: RecordFollowersService;
  dealFollowers: RecordFollowersService;
  userAccess: UserAccessService;
  organizations: OrganizationsService;
  /** The v1 organizations API: v1 bodies through OrganizationsService, v1-shaped reads. */
  organizationsV1: OrganizationsV1Service;
  users: UsersService;
  webhooks: WebhooksService;
  /** Where writes queue webhook events; the dispatcher listens to it to deliver them without waiting. */
  webhookOutbox: WebhookOutbox;
  deals: DealsService;
  /** Pipelines and their stages, where deals sit. */
  pipelines: PipelinesService;
  stages: StagesService;
  /** The v1 deals API: v1 bodies through DealsService, v1-shaped reads. */
  dealsV1: DealsV1Service;
  notes: NotesService;
  /** Saved filters; `filters.selection` is what lists with `filter_id` apply. */
  filters: FiltersService;
  noteComments: NoteCommentsService;
  activities: ActivitiesService;
  activityTypes: ActivityTypesService;
  personFollowers: PersonFollowersService;
  personHistory: PersonHistoryService;
  /** Organizations' and deals' changelog and update feed. */
  recordHistory: RecordHistoryService;
  personPictures: PersonPicturesService;
  /** Person search (v2) and item search (v1 and v2). */
  search: SearchService;
  personMerge: PersonMergeService;
  /** Work that commits with every person write; tests add a failing one to check that writes roll back whole. */
  personListeners: WriteListener<PersonRow>[];
  /** The ids of the users who may see a person under its visible_to. */
  personPermittedUsers(actor: Actor, personId: number): Promise<number[]>;
  /** The `include_fields` deal, follower and note counts of a page of persons, in one query. */
  personCounts(actor: Actor, persons: readonly PersonRow[], include: ReadonlySet<string> | undefined): Promise<Map<number, PersonCounts>>;
  authenticate(token: string): Promise<Authenticated | undefined>;
  /** Why a token did not authenticate (unknown, expired, revoked, its user deactivated), for the 401. */
  explainRejectedToken(token: string): Promise<TokenRejection>;
  /** The web console's passwords, sessions and invites. */
  consoleAuth: ConsoleAuthService;
  /** Whether the database answers, and the migrations it lacks (undefined when it could not be asked). */
  databaseStatus(): Promise<{ reachable: boolean; pendingMigrations: string[] | undefined }>;
  /** Per-company phone region and duplicate policy. */
  identity: IdentitySettings;
  duplicates: DuplicatesService;
  personUnmerge: PersonUnmergeService;
  personImport: PersonImportService;
  personExport: PersonExportService;
  /** Companies made, emptied and deleted on demand by the admin API. */
  tenants: Tenants;
  /** Runs work whose every service write joins one transaction (fixtures: all or nothing). */
  inOneTransaction<T>(work: (services: Services) => Promise<T>): Promise<T>;
}

export interface ServiceOptions {
  clock?: Clock;
  defaultRegion?: Region;
  /** Which receivers webhooks may name; absent means the defaults outside production. */
  webhookTargets?: DeliveryTargets;
}

export async function createServices(store: Store, options: ServiceOptions = {}): Promise<Services> {
  const clock = options.clock ?? systemClock;
  // Shared by every process on the database, so a cursor issued by one process is accepted by the others.
  const cursorSecret = await ensureSetting(store.db, 'cursor_secret', randomBytes(32).toString('hex'));
  const cursors = new CursorCodec(cursorSecret);
  // Work that must commit with every person / organization write (index, history, outbox) registers here.
  const personListeners: WriteListener<PersonRow>[] = [];
  const organizationListeners: WriteListener<OrganizationRow>[] = [];
  const dealListeners: WriteListener<DealRow>[] = [];
  const noteListeners: WriteListener<NoteRow>[] = [];
  const activityListeners: WriteListener<ActivityRow>[] = [];
  const webhookOutbox = new WebhookOutbox(clock, store.settingsStamp);
  const personWebhooks = webhookOutbox.listener(personWebhookShape);
  personListeners.push(personWebhooks);
  organizationListeners.push(webhookOutbox.listener(organizationWebhookShape));
  dealListeners.push(webhookOutbox.listener(dealWebhookShape));
  noteListeners.push(webhookOutbox.listener(noteWebhookShape));
  activityListeners.push(webhookOutbox.listener(activityWebhookShape));
  personListeners.push(recordPersonHistory);
  organizationListeners.push(recordOrganizationHistory);
  dealListeners.push(recordDealHistory);
  // The search index commits with each write, so the very next search sees it.
  const personSearch = personSearchListener();
  personListeners.push(personSearch);
  organizationListeners.push(organizationSearchListener());
  dealListeners.push(dealSearchListener());
  // Keys first: the search index holds the phone keys, and a re-keying has it rebuilt.
  await rebuildIdentityKeysIfStale(store.db, options.defaultRegion);
  await rebuildSearchIndexIfStale(store.db);
  const identity = new IdentitySettings(store.db, options.defaultRegion, store.settingsStamp);
  organizationListeners.push(unlinkPersonsOfDeletedOrganization(personListeners, identity));
  // Another entity's custom fields plug in as one more source of its type (see filter-fields.ts).
  const filters = new FiltersService(store.db, store.settingsStamp);
  const fieldsOf = rememberedFields(store.settingsStamp);
  const deals = new DealsService(store.db, cursors, dealListeners, filters);
  // A deleted person or organization leaves no deal linked to it (a merge has moved the deals before it deletes).
  personListeners.push(unlinkDealsOnDelete(deals, 'person_id'));
  const notes = new NotesService(store.db, noteListeners);
  // A deleted person's notes go with it, or stay on their organization or deal (a merge has moved them before).
  personListeners.push(notesOnPersonDelete(notes));
  const activities = new ActivitiesService(store.db, cursors, activityListeners, filters);
  // The same for activities: deleted with their person unless linked to an organization or a deal too.
  personListeners.push(activitiesOnPersonDelete(activities));
  organizationListeners.push(unlinkDealsOnDelete(deals, 'org_id'));
  const persons = new PersonsService(store.db, cursors, personListeners, identity, filters, rememberedMandatoryFieldCheck(store.settingsStamp));
  const organizations = new OrganizationsService(store.db, cursors, organizationListeners, filters);
  const search = new SearchService(store.db, cursors, undefined, identity.regionOf);
  const dealsV1 = new DealsV1Service(store.db, deals, search, new DealMergeService(store.db, dealListeners, activities, notes), fieldsOf);
  return {
    store,
    persons,
    personsV1: new PersonsV1Service(store.db, persons, deals, search, fieldsOf),
    personFields: new FieldsService(store.db, cursors, 'person', personListeners),
    organizationFields: new FieldsService(store.db, cursors, 'organization', organizationListeners),
    dealFields: new FieldsService(store.db, cursors, 'deal', dealListeners),
    organizations,
    organizationsV1: new OrganizationsV1Service(store.db, organizations, persons, dealsV1, search, new OrganizationMergeService(store.db, organizationListeners, personListeners, identity, deals, notes, activities), fieldsOf),
    users: new UsersService(store.db),
    webhooks: new WebhooksService(store.db, cursors, clock, options.webhookTargets),
    webhookOutbox,
    deals,
    pipelines: new PipelinesService(store.db, cursors),
    stages: new StagesService(store.db, cursors),
    dealsV1,
    notes,
    filters,
    noteComments: new NoteCommentsService(store.db),
    activities,
    activityTypes: new ActivityTypesService(store.db),
    personFollowers: new PersonFollowersService(store.db, cursors),
    organizationFollowers: new RecordFollowersService(store.db, cursors, 'organization'),
    dealFollowers: new RecordFollowersService(store.db, cursors, 'deal'),
    userAccess: new UserAccessService(store.db),
    personHistory: new PersonHistoryService(store.db, cursors),
    recordHistory: new RecordHistoryService(store.db, cursors),
    personPictures: new PersonPicturesService(store.db, personListeners),
    search,
    personMerge: new PersonMergeService(store.db, personListeners, deals, identity, notes, activities),
    personListeners,
    personPermittedUsers: (actor, personId) => permittedUsersOf(store.db, actor, personId),
    personCounts: (actor, persons, include) => countPersonRelations(store.db, actor, persons, include),
    async databaseStatus() {
      const reachable = await store.ping();
      return { reachable, pendingMigrations: reachable ? await pendingMigrations(store.db, store.dialect).catch(() => undefined) : undefined };
    },
    explainRejectedToken: (token) => explainRejectedToken(store.db, token),
    authenticate: cacheAuthenticationWhileUnchanged(store.settingsStamp, (token: string) => authenticateToken(store.db, token)),
    consoleAuth: new ConsoleAuthService(store.db),
    identity,
    duplicates: new DuplicatesService(store.db, identity),
    personUnmerge: new PersonUnmergeService(store.db, personListeners, deals, identity, notes, activities),
    // Import batches index themselves, and look for a person webhook once per batch rather than once per row.
    personImport: new PersonImportService(store.db, persons, organizations, identity, {
      others: () => personListeners.filter((l) => l !== personSearch && l !== personWebhooks),
      webhooks: personWebhooks,
    }),
    personExport: new PersonExportService(store.db, persons),
    tenants: new Tenants(store.db),
    // Nothing is remembered inside: a setting changed earlier in the same transaction has moved no stamp yet.
    inOneTransaction: (work) =>
      store.db.transaction().execute(async (trx) => work(await createServices({ ...store, db: joinOuterTransaction(trx), settingsStamp: () => undefined }, options))),
  };
}
