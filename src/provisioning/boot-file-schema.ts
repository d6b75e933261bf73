import { type Static, Type } from '@sinclair/typebox';

/**
 * `linekeeper.yaml` on the FAT boot partition: the few settings a technician types on a laptop
 * before the first power-on. Closed objects, like the config: a typo is an error, not a default.
 * Everything else stays in /etc/linekeeper/config.yaml (the web page and check-config cover it).
 */
const Strict = { additionalProperties: false } as const;

export const BOOT_FILE_VERSION = 1;

/** The prompt and speech languages linekeeper ships (examples/, models/manifest). */
export const BOOT_LANGUAGES = ['en', 'de', 'es'] as const;

const NetworkSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('ethernet'), Type.Literal('wifi')], {
      description: 'ethernet (a cable, DHCP) or wifi',
    }),
    ssid: Type.Optional(
      Type.String({ minLength: 1, maxLength: 32, description: 'the Wi-Fi network name' }),
    ),
    psk: Type.Optional(
      Type.String({
        pattern: '^([\\x20-\\x7e]{8,63}|[0-9A-Fa-f]{64})$',
        description: 'a WPA2/WPA3 passphrase of 8 to 63 printable ASCII characters',
      }),
    ),
    country: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{2}$',
        description: 'the two-letter country code the Wi-Fi radio must obey, like DE or GB',
      }),
    ),
    hidden: Type.Optional(Type.Boolean({ description: 'true when the network hides its name' })),
  },
  Strict,
);

const MqttSchema = Type.Object(
  {
    url: Type.String({
      pattern: '^(mqtts?|wss?)://[^@/\\s]+(/[^@\\s]*)?$',
      description: 'a broker URL like mqtt://192.168.1.10:1883, without user or password',
    }),
    username: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(Type.String({ minLength: 1 })),
  },
  Strict,
);

export const BootFileSchema = Type.Object(
  {
    version: Type.Optional(Type.Literal(BOOT_FILE_VERSION)),
    site: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 80,
        description: 'the site name, 1 to 80 characters',
      }),
    ),
    deviceId: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
        description: 'lower-case letters, digits and dashes (used in MQTT topics)',
      }),
    ),
    language: Type.Optional(
      Type.Union(
        BOOT_LANGUAGES.map((l) => Type.Literal(l)),
        { description: 'the speech language' },
      ),
    ),
    timezone: Type.Optional(
      Type.String({ minLength: 1, description: 'an IANA time zone like Europe/Berlin' }),
    ),
    network: Type.Optional(NetworkSchema),
    mqtt: Type.Optional(MqttSchema),
  },
  Strict,
);

export type BootFile = Static<typeof BootFileSchema>;

/** Keys whose values must never be echoed in a message, a status file or the redacted copy. */
export const SECRET_PATHS: readonly (readonly string[])[] = [
  ['network', 'psk'],
  ['mqtt', 'password'],
];
