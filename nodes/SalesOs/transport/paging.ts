import type { IDataObject } from 'n8n-workflow';

/** The most records SalesOS returns per page (`per_page`). */
export const MAX_PAGE_SIZE = 100;

/**
 * The page size for reading `wanted` records, the same for every page: `page` is an offset in
 * units of `per_page`, so shrinking it for the last page would re-read records.
 */
export function pageSizeFor(wanted: number): number {
	return Math.min(MAX_PAGE_SIZE, wanted);
}

export interface PageReader {
	/** Asked before every page, the first too: false stops paging (enough records are in). */
	wantsMore(): boolean;
	/** Takes one page's records; false stops paging (e.g. the record looked for is found). */
	take(records: IDataObject[]): boolean;
}

/**
 * The one page loop: fetches page 1, 2, … while the reader wants more, and stops after the last
 * page (`meta.total_pages`, or a short or empty page when SalesOS gives no total).
 */
export async function readPages(
	fetchPage: (paging: { page: number; per_page: number }) => Promise<{ data: unknown; meta: IDataObject }>,
	perPage: number,
	reader: PageReader,
): Promise<void> {
	for (let page = 1; reader.wantsMore(); page++) {
		const { data, meta } = await fetchPage({ page, per_page: perPage });
		const records = (Array.isArray(data) ? data : []) as IDataObject[];
		if (!reader.take(records)) return;
		const totalPages = Number(meta.total_pages);
		const lastPage = Number.isFinite(totalPages) ? page >= totalPages : records.length < perPage;
		if (lastPage || records.length === 0) return;
	}
}
