// The writable fields of a dialog as create and update take them (create-dialog reference).
import { invalidField } from './errors';
import { isPlainObject, optionalObject, optionalString, type Params } from './params';

/** Dialog names are at most this long (create-dialog reference). */
const NAME_MAX = 200;

/** A group or public dialog's name: trimmed, not empty, at most NAME_MAX characters. */
export function dialogName(params: Params, required: boolean): string | undefined {
  const name = optionalString(params, 'name')?.trim();
  if (name === undefined && !required) return undefined;
  if (!name) throw invalidField('name', 'is required for a group (type 2) or public (type 1) dialog');
  if (name.length > NAME_MAX) throw invalidField('name', `must be at most ${NAME_MAX} characters`);
  return name;
}

/** `data[class_name]=X&data[field]=v` (or the same as a JSON object): the dialog's custom data. */
export function customData(params: Params): Record<string, unknown> | undefined {
  const data = optionalObject(params, 'data');
  if (!data) return undefined;
  if (typeof data.class_name !== 'string' || data.class_name.trim() === '') {
    throw invalidField('data[class_name]', 'is required with custom data: the custom object class the fields belong to');
  }
  for (const [key, value] of Object.entries(data)) {
    if (isPlainObject(value) || Array.isArray(value)) throw invalidField(`data[${key}]`, 'custom data takes flat values: data[field]=value');
  }
  return data;
}

