// Local-time formatting shared by the views. Built by hand rather than with Intl so the console's
// fixed-width HH:MM:SS.mmm column never changes with the user's locale.

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `HH:MM:SS.mmm` in local time, for stanza timestamps (unix ms). */
export function clockWithMillis(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `HH:MM` for today, `YYYY-MM-DD HH:MM` otherwise, in local time (unix ms). */
export function messageTime(ms: number): string {
  const d = new Date(ms);
  const now = new Date();
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? clock : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock}`;
}
