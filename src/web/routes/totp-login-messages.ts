import { defineCatalog } from '../i18n/catalog.js';

/** The second login step: the one-time code after a correct password. */
export const TOTP_LOGIN_MESSAGES = defineCatalog({
  en: {
    title: 'linekeeper · one-time code',
    heading: 'One-time code',
    intro: (user: string) =>
      `Password accepted for ${user}. Open the authenticator app on your phone and type the 6-digit code it shows for linekeeper.`,
    code: 'One-time code (6 digits)',
    submit: 'Log in',
    startAgain: 'Log in as someone else',
    wrong: 'The code is wrong or has expired: type the code your app shows now.',
    replayed: 'This code was already used: wait for the next code in your app (at most 30 s).',
    expired:
      'The sign-in took too long or was already used: enter your user name and password again.',
  },
  de: {
    title: 'linekeeper · Einmalcode',
    heading: 'Einmalcode',
    intro: (user: string) =>
      `Passwort für ${user} angenommen. Öffnen Sie die Authenticator-App auf Ihrem Telefon und geben Sie den 6-stelligen Code ein, den sie für linekeeper anzeigt.`,
    code: 'Einmalcode (6 Ziffern)',
    submit: 'Anmelden',
    startAgain: 'Als jemand anderes anmelden',
    wrong:
      'Der Code ist falsch oder abgelaufen: geben Sie den Code ein, den Ihre App jetzt anzeigt.',
    replayed:
      'Dieser Code wurde schon verwendet: warten Sie auf den nächsten Code in Ihrer App (höchstens 30 s).',
    expired:
      'Die Anmeldung hat zu lange gedauert oder wurde schon verwendet: geben Sie Benutzername und Passwort erneut ein.',
  },
  es: {
    title: 'linekeeper · código de un solo uso',
    heading: 'Código de un solo uso',
    intro: (user: string) =>
      `Contraseña aceptada para ${user}. Abra la aplicación de autenticación de su teléfono y escriba el código de 6 cifras que muestra para linekeeper.`,
    code: 'Código de un solo uso (6 cifras)',
    submit: 'Entrar',
    startAgain: 'Entrar con otro usuario',
    wrong:
      'El código es incorrecto o ha caducado: escriba el código que muestra ahora su aplicación.',
    replayed:
      'Este código ya se ha usado: espere al siguiente código de su aplicación (30 s como máximo).',
    expired:
      'El inicio de sesión tardó demasiado o ya se usó: vuelva a escribir su nombre de usuario y contraseña.',
  },
});
