import t from 'tap';
import { OfflineQueue } from '../../../src/status/mqtt/offline-queue.js';

const drain = <T>(q: OfflineQueue<T>) => {
  const out: T[] = [];
  for (let x = q.shift(); x !== undefined; x = q.shift()) out.push(x);
  return out;
};

t.test('keeps order and drops the oldest when full, counting drops', async (t) => {
  const q = new OfflineQueue<number>(3);
  for (let i = 1; i <= 7; i += 1) q.push(i);
  t.equal(q.size, 3);
  t.equal(q.dropped, 4);
  t.same(drain(q), [5, 6, 7]);
  t.equal(q.shift(), undefined);
});

t.test('wraps around many times without losing order', async (t) => {
  const q = new OfflineQueue<number>(5);
  const seen: number[] = [];
  for (let i = 0; i < 1000; i += 1) {
    q.push(i);
    if (i % 3 === 0) seen.push(q.shift() as number);
  }
  seen.push(...drain(q));
  t.ok(
    seen.every((v, i) => i === 0 || v > (seen[i - 1] as number)),
    'strictly increasing',
  );
  t.equal(seen.length + q.dropped, 1000, 'every item either came out or was counted as dropped');
});

t.test('unshiftAll puts unconfirmed items back in front; overflow drops them first', async (t) => {
  const q = new OfflineQueue<string>(4);
  q.push('c');
  q.push('d');
  q.unshiftAll(['a', 'b']);
  t.same(drain(q), ['a', 'b', 'c', 'd']);

  q.push('x');
  q.push('y');
  q.push('z');
  q.unshiftAll(['p', 'q', 'r']);
  t.equal(q.dropped, 2, 'p and q, the oldest, did not fit');
  t.same(drain(q), ['r', 'x', 'y', 'z']);
});
