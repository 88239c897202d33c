import { describe, expect, it } from 'vitest';
import i18n from '../../../i18n';

// Every SPEC §4.4 rule the API enforces has its own code; the UI explains each in both
// languages, as a message and, where the API names a field, on that field.
const CODES = [
  'localExists',
  'activeTypeExists',
  'activeCannotBeDeleted',
  'localCannotBeDeleted',
  'creationForbiddenCloud',
  'buttonLabelOnlyOidc',
  'userTypeNeedsCreation',
  'invalidLdapFilter',
  'typeImmutable',
  'importTypeMismatch',
  'connectionFailed',
  'entryNotFound',
];
const FIELD_CODES = [
  'localExists',
  'activeTypeExists',
  'forbiddenCloud',
  'buttonLabelOnlyOidc',
  'userTypeNeedsCreation',
  'invalidLdapFilter',
  'typeImmutable',
  'needsBindDn',
  'notForType',
  'duplicate',
  'notFound',
  'wrongType',
  'exclusive',
  'invalidValue',
];

describe('provider error texts', () => {
  it.each(['en', 'ru'])('explains every provider rule code in %s', (lng) => {
    expect(CODES.filter((c) => !i18n.exists(`errors.provider.${c}`, { lng }))).toEqual([]);
    expect(FIELD_CODES.filter((c) => !i18n.exists(`fieldErrors.${c}`, { lng }))).toEqual([]);
  });
});
