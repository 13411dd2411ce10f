import type { Page } from "../models";

/** Page size of the `listAll` iterators unless the query sets one (the Confluent CLI uses 100 too). */
export const LIST_ALL_PAGE_SIZE = 100;

/**
 * Items of pages 0, 1, 2, ... fetched lazily. Stops at the first empty page, or once `metadata.size`
 * (the total CMF reports) items were seen, which saves the trailing empty request.
 */
export async function* paginate<T>(
  fetchPage: (page: number) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  let seen = 0;
  for (let page = 0; ; page++) {
    const result = await fetchPage(page);
    if (result.items.length === 0) return;
    for (const item of result.items) yield item;
    seen += result.items.length;
    const total = result.metadata?.size;
    if (typeof total === "number" && total > 0 && seen >= total) return;
  }
}
