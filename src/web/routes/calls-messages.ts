import { defineCatalog } from '../i18n/catalog.js';

/** /calls. The CSV's header row stays English: spreadsheets and scripts key on it. */
export const CALLS_MESSAGES = defineCatalog({
  en: {
    title: 'linekeeper · calls',
    heading: 'Call log',
    route: 'Route',
    from: 'From',
    to: 'To',
    filter: 'Filter',
    csv: 'Download CSV',
    count: (total: number, page: number, pages: number) =>
      `${total} call(s); page ${page} of ${pages}`,
    newer: 'Newer',
    older: 'Older',
    pager: 'Pages',
  },
  de: {
    title: 'linekeeper · Anrufe',
    heading: 'Anrufliste',
    route: 'Ziel',
    from: 'Von',
    to: 'Bis',
    filter: 'Filtern',
    csv: 'CSV herunterladen',
    count: (total: number, page: number, pages: number) =>
      `${total} Anruf(e); Seite ${page} von ${pages}`,
    newer: 'Neuere',
    older: 'Ältere',
    pager: 'Seiten',
  },
  es: {
    title: 'linekeeper · llamadas',
    heading: 'Registro de llamadas',
    route: 'Destino',
    from: 'Desde',
    to: 'Hasta',
    filter: 'Filtrar',
    csv: 'Descargar CSV',
    count: (total: number, page: number, pages: number) =>
      `${total} llamada(s); página ${page} de ${pages}`,
    newer: 'Más recientes',
    older: 'Más antiguas',
    pager: 'Páginas',
  },
});
