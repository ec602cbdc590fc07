// How a user is named to people: the same rule for the local server (a private dialog's name) and
// the extension (senders, dialog labels), so both sides show one user alike.
import type { QBUser } from './models';

/** full_name, else login, else email, else the placeholder; empty strings count as missing. */
export function displayName(user: Pick<QBUser, 'id' | 'full_name' | 'login' | 'email'>): string {
  return user.full_name || user.login || user.email || placeholderName(user.id);
}

/** The name of a user we know nothing else about (yet). */
export function placeholderName(userId: number): string {
  return `User ${userId}`;
}
