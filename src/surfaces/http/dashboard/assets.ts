/**
 * @module surfaces/http/dashboard/assets
 * The dashboard's three files, embedded as strings so they ship inside the bundled CLI with no
 * file lookups at run time: the HTML shell, the stylesheet and the browser script.
 */
export { DASHBOARD_CSS, DASHBOARD_HTML } from './page.js';
export { DASHBOARD_JS } from './client.js';
