import type { CredentialProblem } from '../auth/credentials-rules.js';
import { defineCatalog } from '../i18n/catalog.js';

interface AuthMessages {
  credentials: Record<CredentialProblem, string>;
  setup: {
    title: string;
    heading: string;
    intro: string;
    introCommand: string;
    introLabel: string;
    code: string;
    username: string;
    password: string;
    passwordAgain: string;
    submit: string;
    wrongCode: string;
    alreadySetUp: string;
  };
  login: {
    title: string;
    heading: string;
    username: string;
    password: string;
    submit: string;
    wrong: string;
  };
  locked: (minutes: number) => string;
}

export const AUTH_MESSAGES = defineCatalog<AuthMessages>({
  en: {
    credentials: {
      'username-format': 'User name: 1 to 32 letters, digits, dots, dashes or underscores.',
      'password-short': 'Password: at least 12 characters.',
      'password-long': 'Password: at most 256 characters.',
      'password-mismatch': 'The two passwords differ; type the same password twice.',
    },
    setup: {
      title: 'linekeeper · first-run setup',
      heading: 'First-run setup',
      intro:
        'Create the admin account. You need the setup code that linekeeper printed to its journal',
      introCommand: 'journalctl -u linekeeper | grep setup',
      introLabel: "or that is on the appliance's label.",
      code: 'Setup code',
      username: 'Admin user name',
      password: 'Password (at least 12 characters)',
      passwordAgain: 'Password again',
      submit: 'Create admin account',
      wrongCode: 'The setup code is wrong: copy it again from the journal.',
      alreadySetUp: 'This appliance is already set up: log in instead.',
    },
    login: {
      title: 'linekeeper · log in',
      heading: 'Log in',
      username: 'User name',
      password: 'Password',
      submit: 'Log in',
      wrong: 'Wrong user name or password.',
    },
    locked: (minutes) => `Too many failed attempts: try again in ${minutes} minute(s).`,
  },
  de: {
    credentials: {
      'username-format':
        'Benutzername: 1 bis 32 Buchstaben, Ziffern, Punkte, Binde- oder Unterstriche.',
      'password-short': 'Passwort: mindestens 12 Zeichen.',
      'password-long': 'Passwort: höchstens 256 Zeichen.',
      'password-mismatch':
        'Die beiden Passwörter sind verschieden; geben Sie zweimal dasselbe ein.',
    },
    setup: {
      title: 'linekeeper · Ersteinrichtung',
      heading: 'Ersteinrichtung',
      intro:
        'Legen Sie das Admin-Konto an. Sie brauchen den Einrichtungscode, den linekeeper in sein Journal geschrieben hat',
      introCommand: 'journalctl -u linekeeper | grep setup',
      introLabel: 'oder der auf dem Etikett des Geräts steht.',
      code: 'Einrichtungscode',
      username: 'Name des Admin-Benutzers',
      password: 'Passwort (mindestens 12 Zeichen)',
      passwordAgain: 'Passwort wiederholen',
      submit: 'Admin-Konto anlegen',
      wrongCode: 'Der Einrichtungscode ist falsch: kopieren Sie ihn erneut aus dem Journal.',
      alreadySetUp: 'Dieses Gerät ist bereits eingerichtet: bitte anmelden.',
    },
    login: {
      title: 'linekeeper · Anmelden',
      heading: 'Anmelden',
      username: 'Benutzername',
      password: 'Passwort',
      submit: 'Anmelden',
      wrong: 'Benutzername oder Passwort falsch.',
    },
    locked: (minutes) => `Zu viele Fehlversuche: versuchen Sie es in ${minutes} Minute(n) erneut.`,
  },
  es: {
    credentials: {
      'username-format':
        'Nombre de usuario: de 1 a 32 letras, cifras, puntos, guiones o guiones bajos.',
      'password-short': 'Contraseña: al menos 12 caracteres.',
      'password-long': 'Contraseña: como máximo 256 caracteres.',
      'password-mismatch':
        'Las dos contraseñas no coinciden; escriba la misma contraseña dos veces.',
    },
    setup: {
      title: 'linekeeper · configuración inicial',
      heading: 'Configuración inicial',
      intro:
        'Cree la cuenta de administrador. Necesita el código de configuración que linekeeper escribió en su diario',
      introCommand: 'journalctl -u linekeeper | grep setup',
      introLabel: 'o que figura en la etiqueta del equipo.',
      code: 'Código de configuración',
      username: 'Nombre del administrador',
      password: 'Contraseña (al menos 12 caracteres)',
      passwordAgain: 'Repita la contraseña',
      submit: 'Crear cuenta de administrador',
      wrongCode: 'El código de configuración es incorrecto: cópielo de nuevo del diario.',
      alreadySetUp: 'Este equipo ya está configurado: inicie sesión.',
    },
    login: {
      title: 'linekeeper · iniciar sesión',
      heading: 'Iniciar sesión',
      username: 'Nombre de usuario',
      password: 'Contraseña',
      submit: 'Entrar',
      wrong: 'Nombre de usuario o contraseña incorrectos.',
    },
    locked: (minutes) =>
      `Demasiados intentos fallidos: vuelva a intentarlo en ${minutes} minuto(s).`,
  },
});
