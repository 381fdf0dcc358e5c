export type PageRequest = { page: number; perPage: number; offset: number };
export type Page<T> = { items: T[]; total: number; page: number; perPage: number };

export const MAX_PER_PAGE = 100;

export function pageRequest(page = 1, perPage = 25): PageRequest {
  const p = Math.max(1, Math.floor(page));
  const pp = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(perPage)));
  return { page: p, perPage: pp, offset: (p - 1) * pp };
}

/** For the short, ordered lists (components, groups, templates) that are read whole anyway. */
export function paginate<T>(all: T[], request: PageRequest): Page<T> {
  return pageOf(all.slice(request.offset, request.offset + request.perPage), all.length, request);
}

export function pageOf<T>(items: T[], total: number, request: PageRequest): Page<T> {
  return { items, total, page: request.page, perPage: request.perPage };
}
