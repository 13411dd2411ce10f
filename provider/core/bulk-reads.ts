/**
 * A refresh reads every resource of a stack, one `read` each, a few at a time, and many of them are
 * often in one collection (500 applications of one environment). Past a few reads of a collection,
 * the reads are answered from its list pages: one request for up to 100 objects instead of one per
 * object, for CMF and for the provider alike. The object a list page holds is the one a GET returns
 * (for the kinds that opt in), so a read answered from a page is a read of that object, taken a moment
 * earlier; a read the pages do not answer (the object is gone, or came after the page) is a GET.
 *
 * What bounds it:
 * - **Cost:** another page is listed only while fewer than {@link LIST_ITEMS_PER_READ} objects per
 *   read have been, so a stack that reads 20 objects of a collection of 10,000 lists at most 180 of
 *   them, not 10,000.
 * - **Age:** a session serves the reads that start within {@link SESSION_MS} of its first read (a
 *   later one starts a new session), and each listed object answers one read at most.
 * - **Writes:** a write through this process (see {@link BulkReads.forget}) drops the object from the
 *   pages, and a page that was in flight across a write is dropped whole.
 * - **Failures:** a list that fails (CMF may let a token get an object but not list its collection)
 *   ends the listing for the session; its reads are GETs, which report their own errors.
 */

/** Reads of one collection answered by GETs before its pages are listed: small stacks never list. */
export const LIST_AFTER_READS = 8;
/** The pages listed hold at most this many objects per read of the collection so far. */
export const LIST_ITEMS_PER_READ = 4;
/** How long after its first read a collection's session takes new reads. */
export const SESSION_MS = 10_000;

export interface ListingProgress {
  /** Reads of the collection in this session, the current one included. */
  reads: number;
  /** Objects listed so far in this session. */
  listed: number;
  /** The last page was short: every object has been listed. */
  exhausted: boolean;
  /** A list failed in this session. */
  failed: boolean;
}

/** Whether a read that the pages listed so far do not answer should wait for the next page. */
export function shouldListNextPage(progress: ListingProgress): boolean {
  return (
    !progress.exhausted &&
    !progress.failed &&
    progress.reads >= LIST_AFTER_READS &&
    progress.listed < LIST_ITEMS_PER_READ * progress.reads
  );
}

/** What a kind gives bulk reads: a page of a collection, and the name of a listed object. */
export interface Listing<S> {
  page(page: number, size: number): Promise<readonly S[]>;
  nameOf(server: S): string;
}

interface Session<S> extends ListingProgress {
  readonly started: number;
  pages: number;
  /** Bumped by every write through this process, to drop a page that was in flight across one. */
  writes: number;
  readonly found: Map<string, S>;
  inflight?: Promise<void>;
}

/** One client's reads of one kind, by collection (the id's parts before the name, e.g. the environment). */
export class BulkReads<S> {
  private readonly sessions = new Map<string, Session<S>>();

  constructor(
    private readonly pageSize: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The object `name` of `collection`, or `undefined` when `get` finds none. */
  async read(
    collection: string,
    name: string,
    listing: Listing<S>,
    get: () => Promise<S | undefined>,
  ): Promise<S | undefined> {
    const session = this.session(collection);
    session.reads++;
    for (;;) {
      const listed = session.found.get(name);
      if (listed !== undefined) {
        session.found.delete(name);
        return listed;
      }
      if (session.inflight) {
        await session.inflight;
        continue;
      }
      if (!shouldListNextPage(session)) return get();
      session.inflight = this.listNext(session, listing).finally(() => {
        session.inflight = undefined;
      });
    }
  }

  /** A write to `name` of `collection` is being made (call it before and after the write). */
  forget(collection: string, name: string): void {
    const session = this.sessions.get(collection);
    if (session === undefined) return;
    session.found.delete(name);
    session.writes++;
  }

  private session(collection: string): Session<S> {
    const current = this.sessions.get(collection);
    if (current !== undefined && (current.inflight || this.now() - current.started < SESSION_MS)) {
      return current;
    }
    const fresh: Session<S> = {
      started: this.now(),
      reads: 0,
      listed: 0,
      exhausted: false,
      failed: false,
      pages: 0,
      writes: 0,
      found: new Map(),
    };
    this.sessions.set(collection, fresh);
    return fresh;
  }

  private async listNext(session: Session<S>, listing: Listing<S>): Promise<void> {
    const writes = session.writes;
    let items: readonly S[];
    try {
      items = await listing.page(session.pages, this.pageSize);
    } catch {
      session.failed = true;
      return;
    }
    session.pages++;
    session.listed += items.length;
    if (items.length < this.pageSize) session.exhausted = true;
    if (session.writes !== writes) return;
    for (const item of items) session.found.set(listing.nameOf(item), item);
  }
}
