import { type Static, Type } from '@sinclair/typebox';

/**
 * The appliance configuration, one YAML file. Every object is closed (unknown keys are errors:
 * a typo must not silently fall back to a default). Defaults run on a laptop: simulated line,
 * MQTT off, web page on 127.0.0.1:8080, data under ./var.
 */
const Strict = { additionalProperties: false } as const;

export const CONFIG_VERSION = 1;

/** Said before any menu. The number is the clinic's to choose; 112 works across the EU. */
export const DEFAULT_EMERGENCY_NOTICE = {
  en: 'If this is a medical emergency, hang up and dial 112 or 911.',
  de: 'Wenn es sich um einen medizinischen Notfall handelt, legen Sie auf und wählen Sie die 112.',
  es: 'Si se trata de una urgencia médica, cuelgue y llame al 112.',
};

const DeviceSchema = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
      default: 'linekeeper',
      description: 'Device id used in MQTT topics: lower-case letters, digits and dashes',
    }),
    name: Type.String({ minLength: 1, maxLength: 80, default: 'linekeeper' }),
  },
  { ...Strict, default: {} },
);

const ModemSchema = Type.Object(
  {
    device: Type.String({
      minLength: 1,
      default: '/dev/ttyACM0',
      description: 'the modem; prefer its stable path under /dev/serial/by-id/',
    }),
    baudRate: Type.Integer({ minimum: 1200, maximum: 921600, default: 115200 }),
    profile: Type.Union(
      [
        Type.Literal('auto'),
        Type.Literal('conexant'),
        Type.Literal('usr-5637'),
        Type.Literal('generic-ulaw'),
        Type.Literal('generic-alaw'),
      ],
      { default: 'auto' },
    ),
    extraInit: Type.Array(Type.String({ pattern: '^AT', description: 'an AT command' }), {
      default: [],
    }),
    profileOverrides: Type.Object(
      {
        sampleMode: Type.Optional(
          Type.String({ pattern: '^\\d+,\\d+$', description: 'AT+VSM arguments like 128,8000' }),
        ),
        pcmFormat: Type.Optional(
          Type.Union([
            Type.Literal('ulaw'),
            Type.Literal('alaw'),
            Type.Literal('u8'),
            Type.Literal('s8'),
            Type.Literal('s16le'),
          ]),
        ),
        voiceSetup: Type.Optional(Type.Array(Type.String({ pattern: '^AT' }))),
        callerIdCommand: Type.Optional(Type.String({ pattern: '^AT' })),
        fullDuplex: Type.Optional(Type.Boolean()),
        handsetCodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 1 }))),
        hookFlashTone: Type.Optional(Type.String({ minLength: 1, maxLength: 4 })),
      },
      {
        ...Strict,
        default: {},
        description: 'field-by-field changes to the chosen profile, for an odd modem revision',
      },
    ),
    watchdogSeconds: Type.Integer({
      minimum: 2,
      maximum: 300,
      default: 10,
      description: 'probe an idle modem this often; a hung modem puts the line on the front desk',
    }),
    receiveSilenceSeconds: Type.Integer({
      minimum: 2,
      maximum: 60,
      default: 5,
      description:
        'in a call the modem streams audio without pause; none for this long ends the call as a line fault (raise it only for a modem that compresses silence)',
    }),
    capturePath: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
      default: null,
      description: 'append every byte from the modem here, for linekeeper modem-replay',
    }),
  },
  { ...Strict, default: {} },
);

const SoundcardSchema = Type.Object(
  {
    captureDevice: Type.String({
      minLength: 1,
      default: 'default',
      description: "an ALSA capture device, e.g. plughw:CARD=Device,DEV=0 (see 'arecord -L')",
    }),
    playbackDevice: Type.String({
      minLength: 1,
      default: 'default',
      description: "an ALSA playback device (see 'aplay -L')",
    }),
    ringPin: Type.Union([Type.Integer({ minimum: 0, maximum: 53 }), Type.Null()], {
      default: null,
      description: 'BCM pin of the ring-detect output of the line interface',
    }),
    ringActiveLow: Type.Boolean({ default: true }),
    fskStandard: Type.Union([Type.Literal('auto'), Type.Literal('bell202'), Type.Literal('v23')], {
      default: 'auto',
    }),
    hookFlashMs: Type.Union([Type.Integer({ minimum: 50, maximum: 1500 }), Type.Null()], {
      default: null,
      description: 'null: 500 ms in the US, 100 ms elsewhere',
    }),
    silenceHangupSeconds: Type.Integer({ minimum: 0, maximum: 3600, default: 60 }),
  },
  { ...Strict, default: {} },
);

const LineSchema = Type.Object(
  {
    driver: Type.Union(
      [Type.Literal('simulated'), Type.Literal('modem'), Type.Literal('soundcard')],
      {
        default: 'simulated',
        description:
          'simulated, a V.253 voice modem, or a sound card behind a line interface board',
      },
    ),
    answerOnRing: Type.Integer({ minimum: 1, maximum: 10, default: 2 }),
    country: Type.Union(
      [Type.Literal('us'), Type.Literal('uk'), Type.Literal('de'), Type.Literal('es')],
      {
        default: 'us',
      },
    ),
    modem: ModemSchema,
    soundcard: SoundcardSchema,
  },
  { ...Strict, default: {} },
);

const CallSchema = Type.Object(
  {
    flow: Type.String({
      minLength: 1,
      default: 'builtin:clinic',
      description: 'Path to the IVR flow YAML, or builtin:clinic for the bundled example',
    }),
    emergencyNotice: Type.Union(
      [
        Type.String({ minLength: 1 }),
        Type.Record(
          Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' }),
          Type.String({ minLength: 1 }),
          {
            minProperties: 1,
          },
        ),
        Type.Null(),
      ],
      {
        default: DEFAULT_EMERGENCY_NOTICE,
        description: 'Played before any menu, per language; null disables it',
      },
    ),
    maxCallSeconds: Type.Integer({ minimum: 30, maximum: 3600, default: 600 }),
    voicemail: Type.Object(
      {
        enabled: Type.Boolean({
          default: false,
          description:
            'allow voicemail nodes to record callers (encrypted, deleted after privacy.retentionDays.voicemails)',
        }),
      },
      { ...Strict, default: {} },
    ),
  },
  { ...Strict, default: {} },
);

const SpeechSchema = Type.Object(
  {
    engine: Type.Union([Type.Literal('simulated'), Type.Literal('vosk'), Type.Literal('off')], {
      default: 'simulated',
      description:
        'vosk recognises callers offline; simulated understands only text typed into the simulator',
    }),
    language: Type.String({
      pattern: '^[a-z]{2}$',
      default: 'en',
      description: 'the model language, like en, de or es',
    }),
    modelPath: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
      default: null,
      description:
        'a Vosk model folder; null means <dataDir>/models/<the manifest model for the language>',
    }),
    libraryPath: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
      default: null,
      description:
        'libvosk.so; null means vendor/vosk/<platform>/libvosk.so (scripts/fetch-libvosk.sh)',
    }),
    minConfidence: Type.Number({ minimum: 0, maximum: 1, default: 0.6 }),
  },
  { ...Strict, default: {} },
);

const PromptsSchema = Type.Object(
  {
    wordsPerMinute: Type.Integer({ minimum: 80, maximum: 260, default: 150 }),
    pitch: Type.Integer({ minimum: 0, maximum: 99, default: 50 }),
    recordings: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
      default: null,
      description:
        'Folder of recorded prompts, <language>/<prompt id>.wav; they replace the synthesised voice',
    }),
  },
  { ...Strict, default: {} },
);

const RelaysSchema = Type.Object(
  {
    driver: Type.Union(
      [
        Type.Literal('simulated'),
        Type.Literal('auto'),
        Type.Literal('sysfs'),
        Type.Literal('gpiochip'),
      ],
      {
        default: 'simulated',
        description: 'auto: the GPIO character device if present (needs apt gpiod), else sysfs',
      },
    ),
    chipLabels: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description:
        'labels of the 40-pin header GPIO chip; empty means a Raspberry Pi (pinctrl-bcm2835, pinctrl-bcm2711, pinctrl-rp1)',
    }),
    watchdog: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        stallMs: Type.Integer({ minimum: 200, maximum: 5000, default: 500 }),
        recoverAfterSeconds: Type.Union(
          [Type.Integer({ minimum: 1, maximum: 3600 }), Type.Null()],
          {
            default: 30,
            description:
              'after a stall, answer again after this long; null: stay on the front desk until restart',
          },
        ),
      },
      { ...Strict, default: {} },
    ),
    pins: Type.Object(
      {
        lineSelect: Type.Union([Type.Integer({ minimum: 0, maximum: 53 }), Type.Null()], {
          default: 17,
        }),
        hook: Type.Union([Type.Integer({ minimum: 0, maximum: 53 }), Type.Null()], {
          default: null,
        }),
        transfer: Type.Union([Type.Integer({ minimum: 0, maximum: 53 }), Type.Null()], {
          default: null,
        }),
        statusLed: Type.Union([Type.Integer({ minimum: 0, maximum: 53 }), Type.Null()], {
          default: null,
        }),
        faultLed: Type.Union([Type.Integer({ minimum: 0, maximum: 53 }), Type.Null()], {
          default: null,
        }),
      },
      {
        ...Strict,
        default: {},
        description: 'BCM pin numbers per relay role; null when not wired',
      },
    ),
    activeLow: Type.Boolean({ default: false }),
  },
  { ...Strict, default: {} },
);

const NullablePath = Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null });

const MqttSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: false }),
    url: Type.String({
      pattern: '^(mqtts?|wss?)://[^@/]+',
      default: 'mqtt://127.0.0.1:1883',
      description:
        'a broker URL like mqtt://192.168.1.10:1883 or mqtts://broker.lan:8883, without credentials',
    }),
    topicPrefix: Type.String({
      pattern: '^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$',
      default: 'linekeeper',
      description: 'topic levels of letters, digits, _ or - separated by /',
    }),
    username: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
    password: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
    tls: Type.Object(
      {
        ca: NullablePath,
        cert: NullablePath,
        key: NullablePath,
        rejectUnauthorized: Type.Boolean({ default: true }),
      },
      { ...Strict, default: {} },
    ),
    keepaliveSeconds: Type.Integer({ minimum: 5, maximum: 3600, default: 30 }),
    queueLimit: Type.Integer({ minimum: 1, maximum: 100000, default: 1000 }),
    homeAssistant: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        discoveryPrefix: Type.String({
          pattern: '^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$',
          default: 'homeassistant',
        }),
      },
      { ...Strict, default: {} },
    ),
    allowedCommands: Type.Array(
      Type.Union([Type.Literal('mode'), Type.Literal('front-desk'), Type.Literal('reload-flow')]),
      { uniqueItems: true, default: ['mode', 'front-desk', 'reload-flow'] },
    ),
  },
  { ...Strict, default: {} },
);

const Days = (fallback: number) => Type.Integer({ minimum: 1, maximum: 3650, default: fallback });

const PrivacySchema = Type.Object(
  {
    retentionDays: Type.Object(
      {
        calls: Days(90),
        callEvents: Days(30),
        callbacks: Days(7),
        voicemails: Days(14),
        guardBlocks: Days(7),
        auditLog: Days(365),
      },
      {
        ...Strict,
        default: {},
        description: 'how long each kind of data is kept; see docs/privacy.md',
      },
    ),
  },
  { ...Strict, default: {} },
);

const Count = (min: number, max: number, fallback: number) =>
  Type.Integer({ minimum: min, maximum: max, default: fallback });

const GuardSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    perCaller: Type.Object(
      { windowMinutes: Count(1, 1440, 15), maxCalls: Count(1, 100, 4) },
      { ...Strict, default: {} },
    ),
    flood: Type.Object(
      {
        windowMinutes: Count(1, 120, 10),
        minCalls: Count(2, 1000, 6),
        factor: Type.Number({ minimum: 1.5, maximum: 100, default: 3 }),
        normalCallsPerHour: Type.Number({ minimum: 0.1, maximum: 1000, default: 6 }),
        calmMinutes: Count(1, 1440, 20),
      },
      { ...Strict, default: {} },
    ),
    withheld: Type.Union(
      [
        Type.Literal('allow'),
        Type.Literal('challenge-in-flood'),
        Type.Literal('challenge'),
        Type.Literal('refuse-in-flood'),
      ],
      { default: 'challenge-in-flood' },
    ),
    challenge: Type.Object(
      { digits: Count(1, 6, 4), attempts: Count(1, 5, 2), timeoutSeconds: Count(3, 30, 8) },
      { ...Strict, default: {} },
    ),
    blocking: Type.Object(
      {
        maxFailures: Count(1, 20, 2),
        failureWindowHours: Count(1, 168, 6),
        blockMinutes: Count(1, 10080, 60),
        maxBlockDays: Count(1, 365, 7),
      },
      { ...Strict, default: {} },
    ),
    verifiedDays: Count(1, 365, 7),
    knownDays: Count(1, 3650, 90),
    knownAfterHours: Count(0, 168, 2),
    allowList: Type.Array(
      Type.String({ pattern: '^\\+?[0-9 ()./-]{2,}$', description: 'a phone number' }),
      {
        default: [],
        description: 'numbers never challenged or limited (hashed at start, never stored in clear)',
      },
    ),
    blockList: Type.Array(
      Type.String({ pattern: '^\\+?[0-9 ()./-]{2,}$', description: 'a phone number' }),
      {
        default: [],
      },
    ),
  },
  { ...Strict, default: {} },
);

const WebSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    host: Type.String({ minLength: 1, default: '127.0.0.1' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 8080 }),
    language: Type.Union([Type.Literal('en'), Type.Literal('de'), Type.Literal('es')], {
      default: 'en',
      description:
        "the admin page's language when the browser asks for none of en, de, es (each page has language links)",
    }),
    https: Type.Object(
      {
        enabled: Type.Boolean({
          default: false,
          description:
            'serve the page over HTTPS with the self-signed certificate in <dataDir>/tls (made on first use)',
        }),
      },
      { ...Strict, default: {} },
    ),
    allowedHosts: Type.Array(
      Type.String({ pattern: '^[A-Za-z0-9.:\\[\\]-]+$', description: 'a host name or address' }),
      {
        default: [],
        description:
          'extra names the page answers to (the box name, its .local name and addresses are added)',
      },
    ),
  },
  { ...Strict, default: {} },
);

const LogSchema = Type.Object(
  {
    level: Type.Union(
      [
        Type.Literal('fatal'),
        Type.Literal('error'),
        Type.Literal('warn'),
        Type.Literal('info'),
        Type.Literal('debug'),
        Type.Literal('trace'),
        Type.Literal('silent'),
      ],
      { default: 'info' },
    ),
  },
  { ...Strict, default: {} },
);

export const ConfigSchema = Type.Object(
  {
    version: Type.Literal(CONFIG_VERSION, { default: CONFIG_VERSION }),
    dataDir: Type.String({ minLength: 1, default: './var' }),
    device: DeviceSchema,
    line: LineSchema,
    call: CallSchema,
    speech: SpeechSchema,
    prompts: PromptsSchema,
    relays: RelaysSchema,
    mqtt: MqttSchema,
    privacy: PrivacySchema,
    guard: GuardSchema,
    web: WebSchema,
    log: LogSchema,
  },
  Strict,
);

export type Config = Static<typeof ConfigSchema>;
