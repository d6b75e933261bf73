import { request as httpRequest, type IncomingMessage } from 'node:http';
import t from 'tap';
import { SqliteCallStore } from '../../src/storage/sqlite/sqlite-call-store.js';
import {
  callRecord,
  get,
  makeWeb,
  POLL_MS,
  securityHeaderProblems,
  sessionCookie,
} from './web-fixtures.js';

/** An open /events stream, with everything received so far. */
interface EventStream {
  response: IncomingMessage;
  text(): string;
  ended: Promise<void>;
}

function openEvents(port: number, cookie: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path: '/events',
      headers: { host: `127.0.0.1:${port}`, cookie },
    });
    req.setTimeout(10_000, () => req.destroy(new Error('no answer from /events within 10 s')));
    req.on('error', reject);
    req.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      const ended = new Promise<void>((done) => response.on('close', done));
      resolve({ response, text: () => text, ended });
    });
    req.end();
  });
}

/** Polls `check` until it holds; this waits for an event, it does not time anything. */
async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

t.test('/events pushes calls-changed when another process commits a call', async (t) => {
  const { app, store, live, file } = await makeWeb(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const stream = await openEvents(port, sessionCookie(app));
  t.equal(stream.response.statusCode, 200);
  t.match(stream.response.headers['content-type'], /^text\/event-stream/);
  t.same(securityHeaderProblems(stream.response.headers), [], '/events has the security headers');
  await waitFor('the stream preamble', () => stream.text().includes('retry: 2000'));
  await waitFor('the client to be registered', () => live.clientCount() === 1);

  // Nothing changed yet: several poll rounds must not produce an event.
  await new Promise((r) => setTimeout(r, POLL_MS * 6));
  t.notMatch(stream.text(), 'calls-changed', 'no event without a commit');

  // `linekeeper simulate` is a separate process with its own connection to the same file.
  const other = new SqliteCallStore(file);
  await other.start();
  t.teardown(() => other.stop());
  const call = callRecord({ route: 'callback', topic: 'prescriptions' });
  await other.saveCall(call);
  await waitFor('calls-changed after the other connection committed', () =>
    stream.text().includes('event: calls-changed\n'),
  );
  const api = await get(app, '/api/calls');
  t.equal(api.json().calls[0]?.id, call.id, 'the page then reads the new call');

  // A commit on the appliance's own connection is noticed too.
  const before = stream.text().split('event: calls-changed').length;
  await store.saveCall(callRecord());
  await waitFor(
    'calls-changed after an own commit',
    () => stream.text().split('event: calls-changed').length > before,
  );

  live.stop();
  await Promise.race([
    stream.ended,
    new Promise((_r, reject) =>
      setTimeout(() => reject(new Error('stream not closed by stop()')), 5000),
    ),
  ]);
  t.equal(live.clientCount(), 0, 'stop() closes every stream');
});
