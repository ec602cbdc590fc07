// The `user[...]` fields of create-user and update-user (spec §3.1): trailing whitespace trimmed
// except from the password, login or email required, tags from `tag_list` as text or a list.
import type { NewUser, UserChanges } from '../store/chatStore';
import { invalidField } from './errors';
import { optionalInt, optionalList, optionalString, requiredString, type Params } from './params';

const PASSWORD_LENGTH = { min: 8, max: 40 };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function newUserFrom(user: Params): NewUser {
  const fields = commonFields(user);
  if (fields.login === undefined && fields.email === undefined) throw invalidField('base', 'user[login] or user[email] is required');
  return { ...fields, password: checkedPassword(requiredString(user, 'password', 'user[password]')) };
}

/** Changes, plus the old password a new password must be confirmed with. */
export function userChangesFrom(user: Params): { changes: UserChanges; oldPassword?: string } {
  const changes: UserChanges = commonFields(user);
  const password = optionalString(user, 'password', 'user[password]');
  if (password === undefined) return { changes };
  const oldPassword = optionalString(user, 'old_password', 'user[old_password]');
  if (!oldPassword) throw invalidField('old_password', 'is required to set a new password');
  return { changes: { ...changes, password: checkedPassword(password) }, oldPassword };
}

function commonFields(user: Params): Omit<NewUser, 'password'> {
  const text = (key: string) => {
    const value = optionalString(user, key, `user[${key}]`)?.trimEnd();
    return value === '' ? undefined : value;
  };
  const email = text('email');
  if (email !== undefined && !EMAIL.test(email)) throw invalidField('email', 'is not a valid email address');
  const login = text('login');
  if (login !== undefined && /\s/.test(login)) throw invalidField('login', 'must not contain spaces');
  const tags = optionalList(user, 'tag_list', 'user[tag_list]');
  return {
    login,
    email,
    fullName: text('full_name'),
    phone: text('phone'),
    website: text('website'),
    externalUserId: optionalInt(user, 'external_user_id', { min: 1 }, 'user[external_user_id]'),
    facebookId: text('facebook_id'),
    blobId: optionalInt(user, 'blob_id', { min: 1 }, 'user[blob_id]'),
    customData: optionalString(user, 'custom_data', 'user[custom_data]'),
    tags: tags?.length ? tags.join(',') : undefined,
  };
}

function checkedPassword(password: string): string {
  if (password.length < PASSWORD_LENGTH.min || password.length > PASSWORD_LENGTH.max) {
    throw invalidField('password', `must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters long`);
  }
  return password;
}
