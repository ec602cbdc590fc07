// A user as the REST API returns it (user model, spec §3.1): never the password or its hash.
import type { QBUser } from '../../shared/models';
import { displayName as userDisplayName } from '../../shared/users';
import type { UserRecord } from '../store/chatStore';
import { isoSeconds } from './time';

export function userJson(user: UserRecord): QBUser {
  return {
    id: user.id,
    full_name: user.fullName,
    email: user.email,
    login: user.login,
    phone: user.phone,
    website: user.website,
    created_at: isoSeconds(user.createdAt),
    updated_at: isoSeconds(user.updatedAt),
    last_request_at: user.lastRequestAt === null ? null : isoSeconds(user.lastRequestAt),
    external_user_id: user.externalUserId,
    facebook_id: user.facebookId,
    blob_id: user.blobId,
    custom_data: user.customData,
    user_tags: user.tags,
  };
}

/** The display name QuickBlox clients show, also used as a private dialog's name. */
export function displayName(user: UserRecord): string {
  return userDisplayName(userJson(user));
}
