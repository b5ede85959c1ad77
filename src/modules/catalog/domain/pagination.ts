/** Product Search paging: 0-based pages, at most MAX_PAGE_SIZE items and MAX_PAGES pages. */

export const MAX_PAGE_SIZE = 24;
export const DEFAULT_PAGE_SIZE = 24;
export const MAX_PAGES = 13;

export interface PageRequest {
  pageNumber: number;
  pageSize: number;
}

export interface PageWindow {
  numberOfPages: number;
  offset: number;
  limit: number;
}

/**
 * The slice of `total` results a page shows. numberOfPages is capped at MAX_PAGES; a page number
 * at or beyond it is out of range (null), except page 0 of an empty result, which is an empty page.
 */
export function pageWindow(total: number, page: PageRequest, maxPages = MAX_PAGES): PageWindow | null {
  const numberOfPages = Math.min(maxPages, Math.ceil(total / page.pageSize));
  if (total === 0 && page.pageNumber === 0) return { numberOfPages: 0, offset: 0, limit: 0 };
  if (page.pageNumber >= numberOfPages) return null;
  const offset = page.pageNumber * page.pageSize;
  return { numberOfPages, offset, limit: Math.min(page.pageSize, total - offset) };
}
