/**
 * The entities whose fields this folder manages: persons first (hence its name), organizations and deals with the
 * same engine, storage (`person_fields` rows with an `entity` column) and renderers.
 */
export type FieldEntity = 'person' | 'organization' | 'deal';

export interface EntityWords {
  /** `person field`, `organization field`, … */
  one: string;
  /** `persons`, `organizations`, `deals` */
  many: string;
  /** The fields path: `personFields`, … */
  path: string;
}

export const ENTITY_WORDS: Readonly<Record<FieldEntity, EntityWords>> = {
  person: { one: 'person', many: 'persons', path: 'personFields' },
  organization: { one: 'organization', many: 'organizations', path: 'organizationFields' },
  deal: { one: 'deal', many: 'deals', path: 'dealFields' },
};
