import { defineCatalog } from '../i18n/catalog.js';

export const SYSTEM_MESSAGES = defineCatalog({
  en: {
    title: 'System',
    version: 'Version',
    uptime: 'Running for',
    node: 'Node.js',
    speech: 'Speech recognition',
    speechState: { ready: 'ready', off: 'off', failed: 'failed' } as Record<string, string>,
    storage: 'Storage',
    database: 'Database size',
    freeDisk: 'Free disk space',
    lowDisk: 'Low: free some space on this disk.',
    integrity: 'Database integrity check',
    integrityOk: 'passed',
    mqtt: 'MQTT connection',
    mqttState: { ok: 'connected', degraded: 'not connected', off: 'off' } as Record<string, string>,
    tls: 'Certificate fingerprint (SHA-256)',
    tlsNone: 'plain HTTP on this computer only (no certificate)',
    unknown: 'unknown',
    restartTitle: 'Restart',
    restartExplain:
      'Restarting applies saved settings. During the restart, calls ring at the front desk.',
    restartUnsupervised:
      'This appliance was not started by systemd: after a restart it will not come back by itself. Start it again by hand.',
    restartButton: 'Restart the appliance',
    restarting: 'Restarting',
    restartingText:
      'The appliance is stopping; calls ring at the front desk until it is back. Reload this page in a few seconds.',
    restartingUnsupervised:
      'The appliance is stopping and will not start again by itself: start it by hand.',
    backToSystem: 'Back to the System page',
    provisioning: 'Set-up from the SD card (linekeeper.yaml)',
    provisioningNone:
      'No linekeeper.yaml has been applied from the SD card (the appliance was set up here or by hand).',
    provisioningApplied: (file: string, at: string) => `${file} was applied on ${at}.`,
    provisioningChanged: 'Changed',
    provisioningNothingChanged: 'nothing (the file matched the settings already in force)',
    provisioningWarnings: 'Worth a look',
    provisioningFailed: (file: string, at: string) =>
      `${file} was rejected on ${at}: nothing was changed, and the status light blinks the provisioning pattern.`,
    provisioningFix:
      'Correct the file on the SD card’s boot partition (its problems are also in linekeeper-errors.txt beside it) and restart the appliance.',
  },
  de: {
    title: 'System',
    version: 'Version',
    uptime: 'Läuft seit',
    node: 'Node.js',
    speech: 'Spracherkennung',
    speechState: { ready: 'bereit', off: 'aus', failed: 'ausgefallen' },
    storage: 'Speicher',
    database: 'Größe der Datenbank',
    freeDisk: 'Freier Speicherplatz',
    lowDisk: 'Knapp: Bitte Platz auf diesem Datenträger freigeben.',
    integrity: 'Integritätsprüfung der Datenbank',
    integrityOk: 'bestanden',
    mqtt: 'MQTT-Verbindung',
    mqttState: { ok: 'verbunden', degraded: 'nicht verbunden', off: 'aus' },
    tls: 'Zertifikats-Fingerabdruck (SHA-256)',
    tlsNone: 'unverschlüsseltes HTTP nur auf diesem Rechner (kein Zertifikat)',
    unknown: 'unbekannt',
    restartTitle: 'Neustart',
    restartExplain:
      'Ein Neustart übernimmt gespeicherte Einstellungen. Während des Neustarts klingeln Anrufe am Empfang.',
    restartUnsupervised:
      'Dieses Gerät wurde nicht von systemd gestartet: Nach einem Neustart startet es nicht von selbst wieder. Starten Sie es dann von Hand.',
    restartButton: 'Gerät neu starten',
    restarting: 'Neustart',
    restartingText:
      'Das Gerät wird beendet; Anrufe klingeln am Empfang, bis es wieder läuft. Laden Sie diese Seite in einigen Sekunden neu.',
    restartingUnsupervised:
      'Das Gerät wird beendet und startet nicht von selbst wieder: Starten Sie es von Hand.',
    backToSystem: 'Zurück zur Seite System',
    provisioning: 'Einrichtung von der SD-Karte (linekeeper.yaml)',
    provisioningNone:
      'Von der SD-Karte wurde keine linekeeper.yaml übernommen (das Gerät wurde hier oder von Hand eingerichtet).',
    provisioningApplied: (file: string, at: string) => `${file} wurde am ${at} übernommen.`,
    provisioningChanged: 'Geändert',
    provisioningNothingChanged: 'nichts (die Datei entsprach den geltenden Einstellungen)',
    provisioningWarnings: 'Bitte ansehen',
    provisioningFailed: (file: string, at: string) =>
      `${file} wurde am ${at} abgelehnt: Nichts wurde geändert, und die Statusleuchte blinkt im Muster für die Einrichtung.`,
    provisioningFix:
      'Korrigieren Sie die Datei auf der Boot-Partition der SD-Karte (die Probleme stehen auch in linekeeper-errors.txt daneben) und starten Sie das Gerät neu.',
  },
  es: {
    title: 'Sistema',
    version: 'Versión',
    uptime: 'En marcha desde hace',
    node: 'Node.js',
    speech: 'Reconocimiento de voz',
    speechState: { ready: 'listo', off: 'apagado', failed: 'averiado' },
    storage: 'Almacenamiento',
    database: 'Tamaño de la base de datos',
    freeDisk: 'Espacio libre en disco',
    lowDisk: 'Escaso: libere espacio en este disco.',
    integrity: 'Comprobación de integridad de la base de datos',
    integrityOk: 'superada',
    mqtt: 'Conexión MQTT',
    mqttState: { ok: 'conectado', degraded: 'sin conexión', off: 'apagado' },
    tls: 'Huella del certificado (SHA-256)',
    tlsNone: 'HTTP sin cifrar solo en este equipo (sin certificado)',
    unknown: 'desconocido',
    restartTitle: 'Reinicio',
    restartExplain:
      'Al reiniciar se aplican los ajustes guardados. Durante el reinicio, las llamadas suenan en recepción.',
    restartUnsupervised:
      'Este equipo no lo inició systemd: tras un reinicio no volverá a arrancar solo. Arránquelo a mano.',
    restartButton: 'Reiniciar el equipo',
    restarting: 'Reiniciando',
    restartingText:
      'El equipo se está deteniendo; las llamadas suenan en recepción hasta que vuelva. Recargue esta página en unos segundos.',
    restartingUnsupervised:
      'El equipo se está deteniendo y no volverá a arrancar solo: arránquelo a mano.',
    backToSystem: 'Volver a la página Sistema',
    provisioning: 'Configuración desde la tarjeta SD (linekeeper.yaml)',
    provisioningNone:
      'No se ha aplicado ningún linekeeper.yaml desde la tarjeta SD (el equipo se configuró aquí o a mano).',
    provisioningApplied: (file: string, at: string) => `${file} se aplicó el ${at}.`,
    provisioningChanged: 'Cambiado',
    provisioningNothingChanged: 'nada (el archivo coincidía con los ajustes vigentes)',
    provisioningWarnings: 'Conviene revisar',
    provisioningFailed: (file: string, at: string) =>
      `${file} se rechazó el ${at}: no se cambió nada y la luz de estado parpadea con el patrón de configuración.`,
    provisioningFix:
      'Corrija el archivo en la partición de arranque de la tarjeta SD (sus problemas también están en linekeeper-errors.txt, a su lado) y reinicie el equipo.',
  },
});
