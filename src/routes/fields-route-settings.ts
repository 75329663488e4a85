import type { Services } from '../app/services.js';
import type { FieldsService } from '../domain/person-fields/person-fields.service.js';
import type { KnownScope } from '../domain/access/scopes.js';
import { ENTITY_WORDS, type FieldEntity } from '../domain/person-fields/entities.js';

/** What the fields routes of one entity differ in: the service, the path, the words, the OAuth scopes (from the specs). */
export interface FieldsRouteSettings {
  service: FieldsService;
  path: string;
  one: string;
  tag: string;
  read: KnownScope[];
  write: KnownScope[];
  /** v2 field updates and option changes also accept the entity's full scope. */
  options: KnownScope[];
}

export function fieldsRouteSettings(services: Services, entity: FieldEntity): FieldsRouteSettings {
  const words = ENTITY_WORDS[entity];
  const [records, fields] = entity === 'deal' ? (['deals', 'deal-fields'] as const) : (['contacts', 'contact-fields'] as const);
  const service = entity === 'person' ? services.personFields : entity === 'organization' ? services.organizationFields : services.dealFields;
  return {
    service,
    path: words.path,
    one: words.one,
    tag: `${words.path.charAt(0).toUpperCase()}${words.path.slice(1)}`,
    read: [`${records}:read`, `${records}:full`, `${fields}:full`, 'admin'],
    write: [`${fields}:full`, 'admin'],
    options: [`${records}:full`, 'admin', `${fields}:full`],
  };
}
