// Error text for people: what notifications, replies, logs and stanza errors show.
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
