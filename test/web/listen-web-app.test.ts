import { createServer } from 'node:net';
import Fastify from 'fastify';
import t from 'tap';
import { listenWebApp, WebListenError } from '../../src/web/listen-web-app.js';
import { freePort } from '../helpers/free-port.js';

t.test('resolves with the page URL', async (t) => {
  const port = await freePort();
  const app = Fastify();
  t.teardown(() => app.close());
  t.equal(await listenWebApp(app, '127.0.0.1', port), `http://127.0.0.1:${port}`);
});

t.test('a taken port is a WebListenError that says what to change', async (t) => {
  const port = await freePort();
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => blocker.close(resolve)));
  const app = Fastify();
  t.teardown(() => app.close());
  await t.rejects(listenWebApp(app, '127.0.0.1', port), {
    constructor: WebListenError,
    code: 'WEB_PORT_IN_USE',
    message: `web page cannot listen on 127.0.0.1:${port}: the port is in use (is linekeeper already running?); set web.port to another port`,
  });
});

t.test('an address this machine does not have is named', async (t) => {
  const app = Fastify();
  t.teardown(() => app.close());
  // 192.0.2.0/24 is reserved for documentation: never assigned to a real interface.
  await t.rejects(listenWebApp(app, '192.0.2.7', await freePort()), {
    code: 'WEB_HOST_UNAVAILABLE',
    message: /192\.0\.2\.7 is not an address of this machine; set web\.host to 127\.0\.0\.1/,
  });
});
