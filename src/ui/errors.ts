// Error text for people: what the UI shows in notifications, replies and the log.
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
