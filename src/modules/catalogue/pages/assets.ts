/** Where the catalogue's own stylesheet and live-suggestion script are served (catalogue.pages.tsx serves them from assets/). */
export const ASSET_CSS = '/thu-tuc/tai-nguyen/catalogue.css';
export const ASSET_JS = '/thu-tuc/tai-nguyen/goi-y.js';
