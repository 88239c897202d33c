// Turning ApiError codes into translated text, and server validation errors into form field errors.
import type { TFunction } from 'i18next';
import type { FormInstance } from 'antd';
import { isApiError } from '../api/http';
import type { FieldError } from '../api/types';

/** errorMessage translates an error by its stable code, falling back to the server's detail. */
export function errorMessage(t: TFunction, err: unknown): string {
  if (isApiError(err)) {
    const key = `errors.${err.code}`;
    const fallback = err.detail || err.title || t('errors.generic');
    const text = t(key, { defaultValue: fallback, seconds: err.retryAfter ?? '' });
    return typeof text === 'string' && text !== key ? text : fallback;
  }
  if (err instanceof Error && err.message) return err.message;
  return t('errors.generic');
}

/** fieldErrorMessage translates one errors[] entry by its code, falling back to its message. */
export function fieldErrorMessage(t: TFunction, fe: FieldError): string {
  const key = `fieldErrors.${fe.code}`;
  const text = t(key, { defaultValue: fe.message || t('errors.validation.failed') });
  return typeof text === 'string' && text !== key ? text : (fe.message ?? fe.code);
}

/**
 * applyFieldErrors puts the server's errors[] on the form's fields (field names
 * are the JSON names, which the forms use too). Returns the errors it could not place.
 */
export function applyFieldErrors(t: TFunction, form: FormInstance, err: unknown): FieldError[] {
  if (!isApiError(err) || err.errors.length === 0) return [];
  // The server names nested fields with dots (params.host); the form's name paths are arrays.
  const known = new Map<string, (string | number)[]>();
  for (const f of form.getFieldsError()) {
    const key = f.name.join('.');
    if (key) known.set(key, f.name);
  }
  const placed: { name: (string | number)[]; key: string; errors: string[] }[] = [];
  const rest: FieldError[] = [];
  for (const fe of err.errors) {
    const name = known.get(fe.field);
    if (name) {
      const prev = placed.find((p) => p.key === fe.field);
      if (prev) prev.errors.push(fieldErrorMessage(t, fe));
      else placed.push({ name, key: fe.field, errors: [fieldErrorMessage(t, fe)] });
    } else {
      rest.push(fe);
    }
  }
  if (placed.length > 0) form.setFields(placed.map((p) => ({ name: p.name, errors: p.errors })));
  return rest;
}

/**
 * placeOrNotify puts a failed submit's field errors on the form and, when none of them
 * belongs to a field the form shows, reports the error as a whole with notify.
 */
export function placeOrNotify(t: TFunction, form: FormInstance, err: unknown, notify: (message: string) => void): void {
  const unplaced = applyFieldErrors(t, form, err);
  const placedSome = isApiError(err) && err.errors.length > unplaced.length;
  if (!placedSome) notify(errorMessage(t, err));
}
