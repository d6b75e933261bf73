import { defineCatalog } from '../i18n/catalog.js';

export const LAYOUT_MESSAGES = defineCatalog({
  en: {
    nav: {
      dashboard: 'Dashboard',
      calls: 'Calls',
      callbacks: 'Callbacks',
      flows: 'Flows',
      prompts: 'Prompts',
      settings: 'Settings',
      users: 'Users',
      audit: 'Audit log',
      system: 'System',
      privacy: 'Privacy',
    },
    logout: 'Log out',
    role: { admin: 'admin', staff: 'staff' },
    language: 'Language',
    mainNav: 'Main menu',
  },
  de: {
    nav: {
      dashboard: 'Übersicht',
      calls: 'Anrufe',
      callbacks: 'Rückrufe',
      flows: 'Abläufe',
      prompts: 'Ansagen',
      settings: 'Einstellungen',
      users: 'Benutzer',
      audit: 'Protokoll',
      system: 'System',
      privacy: 'Datenschutz',
    },
    logout: 'Abmelden',
    role: { admin: 'Admin', staff: 'Personal' },
    language: 'Sprache',
    mainNav: 'Hauptmenü',
  },
  es: {
    nav: {
      dashboard: 'Panel',
      calls: 'Llamadas',
      callbacks: 'Devoluciones',
      flows: 'Flujos',
      prompts: 'Mensajes',
      settings: 'Ajustes',
      users: 'Usuarios',
      audit: 'Registro de auditoría',
      system: 'Sistema',
      privacy: 'Privacidad',
    },
    logout: 'Cerrar sesión',
    role: { admin: 'administrador', staff: 'personal' },
    language: 'Idioma',
    mainNav: 'Menú principal',
  },
});

/** Each language named in itself, so a reader who cannot read the current one finds theirs. */
export const LANGUAGE_NAMES = { en: 'English', de: 'Deutsch', es: 'Español' } as const;
