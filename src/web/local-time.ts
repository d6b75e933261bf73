/**
 * "2026-01-15 15:30:00" on this machine's clock. Staff read the page against the clinic's wall
 * clock, so UTC would be off by hours; static/live.js formats pushed rows the same way.
 */
export function localTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
