import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { loadConfig } from '../../src/config/load-config.js';
import { applyProvisioning } from '../../src/provisioning/apply-provisioning.js';
import { readProvisioningStatus } from '../../src/provisioning/provisioning-status.js';
import { provisioningTargets } from '../../src/provisioning/provisioning-targets.js';

const CONFIG = `# linekeeper configuration (technician's notes below are kept)
version: 1
dataDir: STATE
device:
  id: clinic-nord # used in MQTT topics
line:
  driver: simulated
web:
  port: 8443
  # host: 0.0.0.0
`;

const CMDLINE =
  'console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait\n';

const WIFI_FILE = `# linekeeper first-boot settings
site: Praxis Dr. Muster
language: de
timezone: Europe/Berlin
network:
  type: wifi
  ssid: Praxis-WLAN
  psk: "correct horse battery"
  country: DE
mqtt:
  url: mqtt://192.168.1.10:1883
  username: linekeeper
  password: "s3cret-mqtt"
`;

/** A system root as a Raspberry Pi OS image has it: /boot/firmware, /etc, NetworkManager. */
function system(t: Test) {
  const root = mkdtempSync(join(tmpdir(), 'lk-provision-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const at = (p: string) => join(root, p);
  mkdirSync(at('boot/firmware'), { recursive: true });
  mkdirSync(at('etc/linekeeper'), { recursive: true });
  mkdirSync(at('etc/NetworkManager/system-connections'), { recursive: true });
  mkdirSync(at('var/lib/NetworkManager'), { recursive: true });
  mkdirSync(at('var/lib/linekeeper'), { recursive: true });
  writeFileSync(at('boot/firmware/cmdline.txt'), CMDLINE);
  writeFileSync(at('boot/firmware/config.txt'), 'auto_initramfs=1\n');
  // What pi-gen writes when the image is built without a Wi-Fi country.
  writeFileSync(
    at('var/lib/NetworkManager/NetworkManager.state'),
    '[main]\nWirelessEnabled=false\n',
  );
  writeFileSync(
    at('etc/linekeeper/config.yaml'),
    CONFIG.replace('STATE', at('var/lib/linekeeper')),
    {
      mode: 0o640,
    },
  );
  const targets = (now = new Date('2025-03-01T08:00:00Z')) =>
    provisioningTargets({ configFile: at('etc/linekeeper/config.yaml'), root, now });
  return { root, at, targets };
}

/** Every file under a directory with its content, to prove that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = lstatSync(p);
      if (s.isDirectory()) walk(p);
      else out[p] = s.isSymbolicLink() ? `-> ${readlinkSync(p)}` : readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

t.test(
  'a valid Wi-Fi file is applied: config merged, network, time zone, file redacted',
  async (t) => {
    const { at, targets } = system(t);
    writeFileSync(at('boot/firmware/linekeeper.yaml'), WIFI_FILE);
    const outcome = applyProvisioning(targets());
    t.equal(outcome.result, 'applied');

    const configText = readFileSync(at('etc/linekeeper/config.yaml'), 'utf8');
    t.match(configText, /^# linekeeper configuration \(technician's notes below are kept\)$/m);
    t.match(configText, /id: clinic-nord # used in MQTT topics/, 'comments on kept keys stay');
    t.match(configText, /# host: 0\.0\.0\.0/);
    const { config } = loadConfig(at('etc/linekeeper/config.yaml'));
    t.equal(config.device.name, 'Praxis Dr. Muster');
    t.equal(config.device.id, 'clinic-nord', 'keys the file does not name are kept');
    t.equal(config.web.port, 8443);
    t.equal(config.speech.language, 'de');
    t.same(
      [config.mqtt.enabled, config.mqtt.url, config.mqtt.username, config.mqtt.password],
      [true, 'mqtt://192.168.1.10:1883', 'linekeeper', 's3cret-mqtt'],
    );
    t.equal(statSync(at('etc/linekeeper/config.yaml')).mode & 0o777, 0o640, 'mode kept');

    const keyfile = at('etc/NetworkManager/system-connections/linekeeper-wifi.nmconnection');
    t.equal(statSync(keyfile).mode & 0o777, 0o600, 'NetworkManager only reads private keyfiles');
    const nm = readFileSync(keyfile, 'utf8');
    t.match(nm, /^\[wifi\]\nmode=infrastructure\nssid=Praxis-WLAN$/m);
    t.match(nm, /^key-mgmt=wpa-psk\npsk=correct horse battery$/m);
    t.match(nm, /^uuid=[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/m);
    t.equal(
      readFileSync(at('boot/firmware/cmdline.txt'), 'utf8'),
      `${CMDLINE.trim()} cfg80211.ieee80211_regdom=DE\n`,
      'the Wi-Fi country goes on the one kernel command line',
    );
    t.match(
      readFileSync(at('var/lib/NetworkManager/NetworkManager.state'), 'utf8'),
      /WirelessEnabled=true/,
    );
    t.equal(readlinkSync(at('etc/localtime')), '/usr/share/zoneinfo/Europe/Berlin');
    t.equal(readFileSync(at('etc/timezone'), 'utf8'), 'Europe/Berlin\n');

    t.notOk(existsSync(at('boot/firmware/linekeeper.yaml')), 'the file is gone under its old name');
    const applied = readFileSync(at('boot/firmware/linekeeper.yaml.applied'), 'utf8');
    t.notMatch(applied, /correct horse/, 'the Wi-Fi passphrase is not left on the card');
    t.notMatch(applied, /s3cret-mqtt/, 'nor the MQTT password');
    t.match(applied, /ssid: Praxis-WLAN/, 'the rest is kept for reference');
    t.match(applied, /Applied by linekeeper on 2025-03-01T08:00:00\.000Z; passwords removed/);

    const status = readProvisioningStatus(at('var/lib/linekeeper'));
    t.equal(status?.ok, true);
    t.equal(status?.at, '2025-03-01T08:00:00.000Z');
    t.same(status?.errors, []);
    t.ok(status?.changed.includes('device.name'));
    t.ok(status?.changed.includes('network: wifi "Praxis-WLAN"'));
    t.notMatch(JSON.stringify(status), /correct horse|s3cret/, 'no secret in the status file');
  },
);

t.test('the next boot finds nothing to do and changes nothing', async (t) => {
  const { root, at, targets } = system(t);
  writeFileSync(at('boot/firmware/linekeeper.yaml'), WIFI_FILE);
  applyProvisioning(targets());
  const before = snapshot(root);
  const again = applyProvisioning(targets(new Date('2025-03-02T08:00:00Z')));
  t.equal(again.result, 'absent');
  t.same(snapshot(root), before, 'not a byte changed, the status file included');
});

t.test(
  'the same file applied twice (power cut before the rename) gives the same system',
  async (t) => {
    const { at, targets } = system(t);
    writeFileSync(at('boot/firmware/linekeeper.yaml'), WIFI_FILE);
    applyProvisioning(targets());
    const config = readFileSync(at('etc/linekeeper/config.yaml'), 'utf8');
    const keyfile = at('etc/NetworkManager/system-connections/linekeeper-wifi.nmconnection');
    const nm = readFileSync(keyfile, 'utf8');
    const cmdline = readFileSync(at('boot/firmware/cmdline.txt'), 'utf8');
    writeFileSync(at('boot/firmware/linekeeper.yaml'), WIFI_FILE);
    const outcome = applyProvisioning(targets());
    t.equal(outcome.result, 'applied');
    t.equal(readFileSync(at('etc/linekeeper/config.yaml'), 'utf8'), config);
    t.equal(readFileSync(keyfile, 'utf8'), nm, 'same connection UUID, same file');
    t.equal(readFileSync(at('boot/firmware/cmdline.txt'), 'utf8'), cmdline, 'one regdom, not two');
    t.match(outcome.result === 'applied' ? outcome.status.changed : [], [
      'network: wifi "Praxis-WLAN"',
    ]);
  },
);

t.test('ethernet removes an earlier Wi-Fi connection and leaves the boot line alone', async (t) => {
  const { at, targets } = system(t);
  writeFileSync(at('boot/firmware/linekeeper.yaml'), WIFI_FILE);
  applyProvisioning(targets());
  writeFileSync(
    at('boot/firmware/linekeeper.yaml'),
    'site: Praxis Süd\nnetwork:\n  type: ethernet\n',
  );
  const outcome = applyProvisioning(targets());
  t.equal(outcome.result, 'applied');
  t.notOk(existsSync(at('etc/NetworkManager/system-connections/linekeeper-wifi.nmconnection')));
  t.equal(loadConfig(at('etc/linekeeper/config.yaml')).config.device.name, 'Praxis Süd');
  t.equal(
    loadConfig(at('etc/linekeeper/config.yaml')).config.mqtt.password,
    's3cret-mqtt',
    'a file without mqtt leaves the broker settings alone',
  );
});

const BAD_INPUTS: { name: string; file: string; path: string; message: RegExp }[] = [
  {
    name: 'an unknown key, with a suggestion',
    file: 'site: A\nlanguge: de\n',
    path: 'languge',
    message:
      /unknown key "languge" \(did you mean "language"\?\); valid keys here: version, site, deviceId, language, timezone, network, mqtt/,
  },
  {
    name: 'a language linekeeper does not speak',
    file: 'language: fr\n',
    path: 'language',
    message: /"fr" is not valid; expected one of: "en", "de", "es"/,
  },
  {
    name: 'Wi-Fi without its passphrase and country',
    file: 'network:\n  type: wifi\n  ssid: Praxis\n',
    path: 'network.type',
    message: /"wifi" needs network\.psk, network\.country/,
  },
  {
    name: 'a passphrase too short, without quoting it back',
    file: 'network:\n  type: wifi\n  ssid: Praxis\n  psk: short\n  country: DE\n',
    path: 'network.psk',
    message:
      /^"\(hidden\)" is not valid: expected a WPA2\/WPA3 passphrase of 8 to 63 printable ASCII characters$/,
  },
  {
    name: 'a lower-case country code',
    file: 'network:\n  type: wifi\n  ssid: Praxis\n  psk: "12345678"\n  country: de\n',
    path: 'network.country',
    message: /"de" is not valid: expected the two-letter country code/,
  },
  {
    name: 'Wi-Fi keys with ethernet',
    file: 'network:\n  type: ethernet\n  ssid: Praxis\n',
    path: 'network.ssid',
    message: /only used with type: wifi/,
  },
  {
    name: 'an unknown network type',
    file: 'network:\n  type: lte\n',
    path: 'network.type',
    message: /"lte" is not valid; expected one of: "ethernet", "wifi"/,
  },
  {
    name: 'credentials in the broker URL',
    file: 'mqtt:\n  url: mqtt://user:pw@broker.lan\n',
    path: 'mqtt.url',
    message: /expected a broker URL like mqtt:\/\/192\.168\.1\.10:1883, without user or password/,
  },
  {
    name: 'a password without a user',
    file: 'mqtt:\n  url: mqtt://broker.lan\n  password: secret\n',
    path: 'mqtt.password',
    message: /mqtt\.username is missing/,
  },
  {
    name: 'a time zone that does not exist',
    file: 'timezone: Europe/Atlantis\n',
    path: 'timezone',
    message: /"Europe\/Atlantis" is not a time zone; expected an IANA name like Europe\/Berlin/,
  },
  {
    name: 'a time zone that tries to leave the zoneinfo folder',
    file: 'timezone: ../../etc/passwd\n',
    path: 'timezone',
    message: /is not a time zone/,
  },
  {
    name: 'a YAML syntax error',
    file: 'site: "Praxis\nnetwork: [\n',
    path: '',
    message: /YAML syntax/,
  },
  {
    name: 'a site name the config refuses (too long)',
    file: `site: ${'x'.repeat(81)}\n`,
    path: 'site',
    message: /must be at most 80 characters/,
  },
];

for (const bad of BAD_INPUTS) {
  t.test(`rejected, nothing changed: ${bad.name}`, async (t) => {
    const { root, at, targets } = system(t);
    writeFileSync(at('boot/firmware/linekeeper.yaml'), bad.file);
    const before = snapshot(root);
    const outcome = applyProvisioning(targets());
    t.equal(outcome.result, 'rejected');
    if (outcome.result !== 'rejected') return;
    const problem = outcome.status.errors.find((p) => p.path === bad.path);
    t.ok(problem, `a problem at "${bad.path}" in ${JSON.stringify(outcome.status.errors)}`);
    t.match(problem?.message, bad.message);
    if (bad.path !== '') t.type(problem?.line, 'number', 'with its line in the file');

    const after = snapshot(root);
    const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
    t.same(
      changed.sort(),
      [
        at('boot/firmware/linekeeper-errors.txt'),
        at('var/lib/linekeeper/provisioning-status.json'),
      ],
      'only the two error reports were written',
    );
    t.equal(readFileSync(at('boot/firmware/linekeeper.yaml'), 'utf8'), bad.file, 'the file stays');
    const errors = readFileSync(at('boot/firmware/linekeeper-errors.txt'), 'utf8');
    t.match(errors, /nothing was changed/);
    t.match(errors, `linekeeper.yaml:${problem?.line ?? ''}`);
    t.notMatch(errors, /short\b(?!.*hidden)/, 'no passphrase in the error file');
    const status = readProvisioningStatus(at('var/lib/linekeeper'));
    t.equal(status?.ok, false);
    t.same(status?.changed, []);
  });
}

t.test('a file the merged config would break is rejected with the config named', async (t) => {
  const { at, targets } = system(t);
  // The installed config already has a password without a user: the merge cannot fix that.
  writeFileSync(
    at('etc/linekeeper/config.yaml'),
    `version: 1\ndataDir: ${at('var/lib/linekeeper')}\nmqtt:\n  password: x\n`,
  );
  writeFileSync(at('boot/firmware/linekeeper.yaml'), 'site: Praxis\n');
  const outcome = applyProvisioning(targets());
  t.equal(outcome.result, 'rejected');
  t.match(
    outcome.result === 'rejected' ? outcome.status.errors[0]?.message : '',
    /config\.yaml would not be valid after applying: .*mqtt\.password: a password is set but mqtt\.username is null/,
  );
  t.ok(existsSync(at('boot/firmware/linekeeper.yaml')));
});

t.test('a corrected file replaces the error report with success', async (t) => {
  const { at, targets } = system(t);
  writeFileSync(at('boot/firmware/linekeeper.yaml'), 'language: fr\n');
  applyProvisioning(targets());
  t.ok(existsSync(at('boot/firmware/linekeeper-errors.txt')));
  writeFileSync(at('boot/firmware/linekeeper.yaml'), 'language: es\n');
  t.equal(applyProvisioning(targets()).result, 'applied');
  t.notOk(existsSync(at('boot/firmware/linekeeper-errors.txt')), 'the old error report is removed');
  t.equal(readProvisioningStatus(at('var/lib/linekeeper'))?.ok, true);
});

t.test(
  'an unwritable target is a typed error and keeps the boot file for the next boot',
  async (t) => {
    const { at, targets } = system(t);
    writeFileSync(at('boot/firmware/linekeeper.yaml'), WIFI_FILE);
    // A directory where the keyfile should go: the write fails the same way for root and others.
    mkdirSync(at('etc/NetworkManager/system-connections/linekeeper-wifi.nmconnection'));
    t.throws(() => applyProvisioning(targets()), {
      code: 'PROVISIONING_WRITE_FAILED',
      message:
        /linekeeper-wifi\.nmconnection.*the boot-partition file was kept, so the next boot tries again/,
    });
    t.equal(readFileSync(at('boot/firmware/linekeeper.yaml'), 'utf8'), WIFI_FILE);
  },
);

t.test(
  'an SSID with a semicolon, a backslash and spaces is escaped for NetworkManager',
  async (t) => {
    const { at, targets } = system(t);
    writeFileSync(
      at('boot/firmware/linekeeper.yaml'),
      'network:\n  type: wifi\n  ssid: " Praxis;2\\\\a "\n  psk: "pass word\\\\1"\n  country: AT\n  hidden: true\n',
    );
    t.equal(applyProvisioning(targets()).result, 'applied');
    const nm = readFileSync(
      at('etc/NetworkManager/system-connections/linekeeper-wifi.nmconnection'),
      'utf8',
    );
    t.match(nm, /^ssid=\\sPraxis\\;2\\\\a\\s$/m);
    t.match(nm, /^hidden=true$/m);
    t.match(nm, /^psk=pass word\\\\1$/m);
  },
);

t.test(
  'without a boot file nothing happens, and bookworm vs older boot dirs are found',
  async (t) => {
    const { at, targets, root } = system(t);
    t.equal(applyProvisioning(targets()).result, 'absent');
    t.equal(readProvisioningStatus(at('var/lib/linekeeper')), null);
    t.equal(targets().bootDir, at('boot/firmware'));
    rmSync(at('boot/firmware'), { recursive: true });
    mkdirSync(at('boot'), { recursive: true });
    t.equal(
      provisioningTargets({ configFile: at('etc/linekeeper/config.yaml'), root, now: new Date() })
        .bootDir,
      at('boot'),
      'before bookworm the FAT partition is /boot',
    );
  },
);
