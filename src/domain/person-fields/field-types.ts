import { ADDRESS_PARTS } from '../address.js';

/** The types a custom person field can be created with (both API versions). */
export const CUSTOM_FIELD_TYPES = [
  'varchar',
  'varchar_auto',
  'text',
  'double',
  'monetary',
  'date',
  'daterange',
  'time',
  'timerange',
  'enum',
  'set',
  'phone',
  'address',
  'user',
  'org',
  'people',
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Types of system fields only; they cannot be given to a custom field. */
export type SystemOnlyFieldType = 'visible_to' | 'picture' | 'status' | 'stage';
export type FieldType = CustomFieldType | SystemOnlyFieldType;

/** Custom field types whose values the search endpoints look into (Pipedrive's list). */
export const SEARCHABLE_CUSTOM_FIELD_TYPES: readonly CustomFieldType[] = ['address', 'varchar', 'text', 'varchar_auto', 'double', 'monetary', 'phone'];

export const OPTION_FIELD_TYPES: readonly FieldType[] = ['enum', 'set'];

export function hasOptions(type: string): boolean {
  return type === 'enum' || type === 'set';
}

/** The parts of a custom address value: the postal address parts plus the geocoder's formatted form. */
export const CUSTOM_ADDRESS_PARTS = [...ADDRESS_PARTS, 'formatted_address'] as const;

/** Longest text accepted per text-like type. */
export const TEXT_LIMITS: Partial<Record<FieldType, number>> = { varchar: 255, varchar_auto: 255, phone: 255, text: 65_535 };

/**
 * The parts of a value that has more than one: v1 renders them as `<key>_<suffix>` keys next to `<key>` and lists
 * them as subfields; v2 lists them as the subfields of the field (named by their property in the value object).
 */
export function subfieldSuffixes(type: string): string[] {
  switch (type) {
    case 'monetary':
      return ['currency'];
    case 'daterange':
    case 'timerange':
      return ['until'];
    case 'address':
      return CUSTOM_ADDRESS_PARTS.filter((part) => part !== 'value');
    default:
      return [];
  }
}

export function subfieldName(suffix: string): string {
  const words = suffix.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
