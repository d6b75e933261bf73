import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import t from 'tap';
import { callRecord, get, makeWeb, securityHeaderProblems, within } from './web-fixtures.js';

t.test('requests for another host name get 421 and no data (DNS rebinding)', async (t) => {
  const { app, store } = await makeWeb(t);
  const call = callRecord();
  await store.saveCall(call);
  const badHosts = [
    'evil.example',
    'evil.example:8080',
    '127.0.0.1.evil.example',
    'localhost.evil.example:8080',
    '10.0.0.5:8080',
  ];
  for (const host of badHosts) {
    for (const url of ['/', '/api/calls', '/api/status', '/events', '/static/live.js']) {
      // Bounded: if the guard failed, /events would hold the stream open forever.
      const res = await within(get(app, url, host), 5000, `${host} ${url}`);
      t.equal(res.statusCode, 421, `${host} ${url}`);
      t.notMatch(res.body, call.id);
    }
  }
  for (const host of [
    '127.0.0.1:8080',
    'localhost:8080',
    'LOCALHOST:8080',
    '[::1]:8080',
    '127.0.0.1',
  ]) {
    const res = await get(app, '/api/calls', host);
    t.equal(res.statusCode, 200, `${host} is allowed`);
  }
});

t.test('every response carries the security headers', async (t) => {
  const { app, store } = await makeWeb(t);
  await store.saveCall(callRecord());
  const responses: [string, LightMyRequestResponse][] = [];
  for (const url of [
    '/',
    '/static/live.js',
    '/static/style.css',
    '/static/nope.js',
    '/api/status',
    '/api/calls',
    '/api/calls?limit=abc',
    '/no-such-page',
  ]) {
    responses.push([url, await get(app, url)]);
  }
  responses.push(['421', await get(app, '/', 'evil.example')]);
  responses.push([
    'POST /',
    await app.inject({ method: 'POST', url: '/', headers: { host: 'localhost' } }),
  ]);
  for (const [label, res] of responses) {
    t.same(securityHeaderProblems(res.headers), [], `${label} (${res.statusCode})`);
  }
  t.equal(responses[0]![1].headers['cache-control'], 'no-store', 'the call log is not cached');
});

t.test('unknown paths and path traversal get 404', async (t) => {
  const { app } = await makeWeb(t);
  const live = await get(app, '/static/live.js');
  t.equal(live.statusCode, 200, 'control: the real static file is served');
  t.match(live.headers['content-type'], /^text\/javascript/);
  t.equal(
    live.body,
    readFileSync(new URL('../../src/web/static/live.js', import.meta.url), 'utf8'),
  );

  const paths = [
    '/no-such-page',
    '/static/',
    '/static/nope.js',
    '/static/LIVE.JS',
    '/static/../package.json',
    '/static/..%2Fpackage.json',
    '/static/%2e%2e%2fpackage.json',
    '/static/%2e%2e/%2e%2e/package.json',
    '/static/..%5c..%5cpackage.json',
    '/static/live.js%00.txt',
    '/static/live.js/..',
    '/static//etc/passwd',
    '/static/%2Fetc%2Fpasswd',
    '/static/../../../../../../etc/passwd',
  ];
  for (const path of paths) {
    const res = await get(app, path);
    t.equal(res.statusCode, 404, path);
    t.notMatch(res.body, /devDependencies|root:|use strict/, `${path}: no file content`);
  }
});

/** Raw HTTP so that no client library normalises `..` before the server sees it. */
function rawGet(port: number, path: string, head?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer for ${path} within 5 s`)));
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.write(
      head ?? `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
    );
  });
}

t.test('over a real socket: un-normalised traversal gets 404, a missing Host 421', async (t) => {
  const { app } = await makeWeb(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  t.match(await rawGet(port, '/static/style.css'), /^HTTP\/1\.1 200 /, 'control');
  for (const path of [
    '/static/../package.json',
    '/static/../../../../../../etc/passwd',
    '/static/..\\..\\package.json',
    '/static/./live.js/../../package.json',
  ]) {
    const res = await rawGet(port, path);
    t.match(res, /^HTTP\/1\.1 404 /, path);
    t.notMatch(res, /devDependencies|root:/, `${path}: no file content`);
  }
  // HTTP/1.0 may leave out Host; such a request must not get around the rebinding guard.
  const noHost = await rawGet(port, '/api/calls', 'GET /api/calls HTTP/1.0\r\n\r\n');
  t.match(noHost, /^HTTP\/1\.1 421 /, 'a request without a Host header is refused');
  const emptyHost = await rawGet(port, '/api/calls', 'GET /api/calls HTTP/1.0\r\nHost:\r\n\r\n');
  t.match(emptyHost, /^HTTP\/1\.1 421 /, 'an empty Host header is refused');
});
