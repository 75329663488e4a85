import { DomainError } from '../errors.js';
import { DUPLICATE_RULES } from './duplicate-rules.js';
import type { DuplicateCandidate } from './duplicates.js';

/** The 409 of `duplicate_policy=reject`: names the existing person and the rule, in words and in additional_data. */
export function duplicateConflict(duplicate: DuplicateCandidate): DomainError {
  const match = duplicate.matches[0];
  return new DomainError(
    'conflict',
    `Duplicate of person ${duplicate.person.id} ("${duplicate.person.name}"): ${DUPLICATE_RULES[match.rule].describe} (${match.keys.join(', ')})`,
    'duplicate_policy is reject: nothing was written. Send duplicate_policy=allow to write anyway, or upsert to update that person.',
    {
      additional_data: {
        duplicate_of: duplicate.person.id,
        name: duplicate.person.name,
        rule: match.rule,
        matched_fields: match.fields,
        matched_keys: match.keys,
      },
    },
  );
}
