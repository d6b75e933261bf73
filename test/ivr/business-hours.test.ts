import t from 'tap';
import { isOpen, localTime } from '../../src/ivr/business-hours.js';

const berlin = {
  timezone: 'Europe/Berlin',
  weekly: { mon: ['08:00-12:00', '14:00-18:00'], sat: ['09:00-11:00'] },
  holidays: ['2026-12-28'],
};

t.test('open and closed by the clinic’s own clock, not the box’s', async (t) => {
  // Monday 2026-11-23, 08:30 in Berlin is 07:30 UTC.
  t.ok(isOpen(berlin, Date.parse('2026-11-23T07:30:00Z')));
  t.notOk(isOpen(berlin, Date.parse('2026-11-23T06:59:00Z')), '07:59 Berlin is before opening');
  t.notOk(isOpen(berlin, Date.parse('2026-11-23T11:00:00Z')), 'the lunch break is closed');
  t.ok(isOpen(berlin, Date.parse('2026-11-23T13:00:00Z')));
  t.notOk(isOpen(berlin, Date.parse('2026-11-23T17:00:00Z')), '18:00 is closing time, exclusive');
  t.notOk(isOpen(berlin, Date.parse('2026-11-24T08:00:00Z')), 'Tuesday has no hours');
});

t.test('holidays are closed all day', async (t) => {
  t.notOk(isOpen(berlin, Date.parse('2026-12-28T09:00:00Z')), 'a Monday holiday');
  t.ok(isOpen(berlin, Date.parse('2027-01-04T09:00:00Z')), 'the next Monday is open');
});

t.test('daylight saving: opening stays at 08:00 local in summer and winter', async (t) => {
  t.ok(isOpen(berlin, Date.parse('2026-06-01T06:00:00Z')), 'summer: 08:00 CEST is 06:00 UTC');
  t.notOk(isOpen(berlin, Date.parse('2026-06-01T05:59:00Z')));
  t.ok(isOpen(berlin, Date.parse('2026-11-30T07:00:00Z')), 'winter: 08:00 CET is 07:00 UTC');
});

t.test('local time around midnight lands on the right date and weekday', async (t) => {
  const local = localTime(Date.parse('2026-11-28T23:30:00Z'), 'Europe/Berlin');
  t.same(local, { date: '2026-11-29', weekday: 'sun', minutes: 30 });
  t.same(localTime(Date.parse('2026-11-29T03:00:00Z'), 'America/New_York').date, '2026-11-28');
});
