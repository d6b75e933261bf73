import type { HoursNode } from './flow-schema.js';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Wall-clock date, weekday and minute of the day in a time zone, from epoch milliseconds. */
export function localTime(
  epochMs: number,
  timeZone: string,
): { date: string; weekday: (typeof WEEKDAYS)[number]; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(epochMs))
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const weekday = parts.weekday!.toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number];
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/**
 * Whether the clinic is open at `epochMs` by its own clock: daylight-saving changes and a box
 * whose system time zone is UTC do not move opening hours.
 */
export function isOpen(
  node: Pick<HoursNode, 'timezone' | 'weekly' | 'holidays'>,
  epochMs: number,
): boolean {
  const now = localTime(epochMs, node.timezone);
  if (node.holidays?.includes(now.date)) return false;
  return (node.weekly[now.weekday] ?? []).some((range) => {
    const [from, to] = range.split('-').map(toMinutes) as [number, number];
    return now.minutes >= from && now.minutes < to;
  });
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}
