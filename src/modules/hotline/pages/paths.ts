export const DESK_PAGE = '/quan-tri/tong-dai';
export const CALLS_PAGE = '/quan-tri/tong-dai/cuoc-goi';
export const LOOKUP_PAGE = '/quan-tri/tong-dai/tra-cuu';
export const CALLBACKS_PAGE = '/quan-tri/tong-dai/goi-lai';
export const callPage = (code: string) => `${CALLS_PAGE}/${encodeURIComponent(code)}`;
export const callbackPath = (code: string, action: 'nhan' | 'tra' | 'ghi') =>
  `${CALLBACKS_PAGE}/${encodeURIComponent(code)}/${action}`;
