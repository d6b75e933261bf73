import { defineCatalog } from '../i18n/catalog.js';

/** /account: one's own account and its second factor. */
export const ACCOUNT_MESSAGES = defineCatalog({
  en: {
    title: 'linekeeper · my account',
    heading: 'My account',
    signedInAs: (user: string, role: string) => `Signed in as ${user} (${role}).`,
    totpHeading: 'Two-step login (one-time codes)',
    off: 'Off: your password alone opens this page.',
    on: 'On: after your password, the page asks for the code from your authenticator app.',
    offExplain:
      'With two-step login, a stolen password is not enough: the page also asks for a 6-digit code that an authenticator app on your phone (for example FreeOTP, Aegis or Google Authenticator) makes every 30 seconds.',
    start: 'Set up two-step login',
    scan: 'Scan this code with your authenticator app, or type the key below into it. Then enter the 6-digit code the app shows to switch two-step login on.',
    qrLabel: 'QR code for the authenticator app',
    secretLabel: 'Key (if you cannot scan)',
    secretOnce: 'The key is shown only until you confirm; afterwards no one can read it here.',
    code: 'Code from the app (6 digits)',
    confirm: 'Confirm and switch on',
    cancel: 'Cancel setup',
    disableHeading: 'Switch two-step login off',
    password: 'Your password',
    disable: 'Switch off',
    confirmed: 'Two-step login is on. You will need your app for the next login.',
    disabled: 'Two-step login is off.',
    wrongCode:
      'Code: wrong or expired. Type the code your app shows now; check the phone’s clock if it keeps failing.',
    replayed: 'Code: already used. Wait for the next code in your app (at most 30 s).',
    wrongPassword: 'Password: wrong. Nothing was changed.',
    alreadyOn: 'Two-step login is already on: switch it off first to set up a new phone.',
    notPending: 'There is no setup waiting for a code: start the setup again.',
  },
  de: {
    title: 'linekeeper · Mein Konto',
    heading: 'Mein Konto',
    signedInAs: (user: string, role: string) => `Angemeldet als ${user} (${role}).`,
    totpHeading: 'Anmeldung in zwei Schritten (Einmalcodes)',
    off: 'Aus: Ihr Passwort allein öffnet diese Seite.',
    on: 'An: nach dem Passwort fragt die Seite nach dem Code aus Ihrer Authenticator-App.',
    offExplain:
      'Mit der Anmeldung in zwei Schritten genügt ein gestohlenes Passwort nicht: Die Seite fragt zusätzlich nach einem 6-stelligen Code, den eine Authenticator-App auf Ihrem Telefon (zum Beispiel FreeOTP, Aegis oder Google Authenticator) alle 30 Sekunden erzeugt.',
    start: 'Anmeldung in zwei Schritten einrichten',
    scan: 'Scannen Sie diesen Code mit Ihrer Authenticator-App oder tippen Sie den Schlüssel unten ein. Geben Sie dann den 6-stelligen Code aus der App ein, um die Anmeldung in zwei Schritten einzuschalten.',
    qrLabel: 'QR-Code für die Authenticator-App',
    secretLabel: 'Schlüssel (falls Sie nicht scannen können)',
    secretOnce:
      'Der Schlüssel wird nur bis zur Bestätigung angezeigt; danach kann ihn hier niemand mehr lesen.',
    code: 'Code aus der App (6 Ziffern)',
    confirm: 'Bestätigen und einschalten',
    cancel: 'Einrichtung abbrechen',
    disableHeading: 'Anmeldung in zwei Schritten ausschalten',
    password: 'Ihr Passwort',
    disable: 'Ausschalten',
    confirmed:
      'Die Anmeldung in zwei Schritten ist an. Bei der nächsten Anmeldung brauchen Sie Ihre App.',
    disabled: 'Die Anmeldung in zwei Schritten ist aus.',
    wrongCode:
      'Code: falsch oder abgelaufen. Geben Sie den Code ein, den Ihre App jetzt zeigt; prüfen Sie die Uhrzeit des Telefons, wenn es weiter scheitert.',
    replayed:
      'Code: schon verwendet. Warten Sie auf den nächsten Code in Ihrer App (höchstens 30 s).',
    wrongPassword: 'Passwort: falsch. Es wurde nichts geändert.',
    alreadyOn:
      'Die Anmeldung in zwei Schritten ist schon an: schalten Sie sie zuerst aus, um ein neues Telefon einzurichten.',
    notPending: 'Es wartet keine Einrichtung auf einen Code: beginnen Sie die Einrichtung erneut.',
  },
  es: {
    title: 'linekeeper · mi cuenta',
    heading: 'Mi cuenta',
    signedInAs: (user: string, role: string) => `Sesión iniciada como ${user} (${role}).`,
    totpHeading: 'Inicio de sesión en dos pasos (códigos de un solo uso)',
    off: 'Desactivado: su contraseña basta para abrir esta página.',
    on: 'Activado: tras la contraseña, la página pide el código de su aplicación de autenticación.',
    offExplain:
      'Con el inicio de sesión en dos pasos, una contraseña robada no basta: la página pide además un código de 6 cifras que una aplicación de autenticación de su teléfono (por ejemplo FreeOTP, Aegis o Google Authenticator) genera cada 30 segundos.',
    start: 'Configurar el inicio de sesión en dos pasos',
    scan: 'Escanee este código con su aplicación de autenticación o escriba en ella la clave de abajo. Después introduzca el código de 6 cifras que muestra la aplicación para activar el inicio de sesión en dos pasos.',
    qrLabel: 'Código QR para la aplicación de autenticación',
    secretLabel: 'Clave (si no puede escanear)',
    secretOnce: 'La clave solo se muestra hasta que confirme; después nadie podrá leerla aquí.',
    code: 'Código de la aplicación (6 cifras)',
    confirm: 'Confirmar y activar',
    cancel: 'Cancelar la configuración',
    disableHeading: 'Desactivar el inicio de sesión en dos pasos',
    password: 'Su contraseña',
    disable: 'Desactivar',
    confirmed:
      'El inicio de sesión en dos pasos está activado. Necesitará su aplicación la próxima vez que entre.',
    disabled: 'El inicio de sesión en dos pasos está desactivado.',
    wrongCode:
      'Código: incorrecto o caducado. Escriba el código que muestra ahora su aplicación; si sigue fallando, compruebe la hora del teléfono.',
    replayed:
      'Código: ya se ha usado. Espere al siguiente código de su aplicación (30 s como máximo).',
    wrongPassword: 'Contraseña: incorrecta. No se ha cambiado nada.',
    alreadyOn:
      'El inicio de sesión en dos pasos ya está activado: desactívelo primero para configurar un teléfono nuevo.',
    notPending:
      'No hay ninguna configuración esperando un código: vuelva a empezar la configuración.',
  },
});
