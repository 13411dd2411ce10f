/** Counters of `/cmf/...` traffic since start or the last reset (the benchmark reads `writes`). */
export interface EmulatorStats {
  /** Requests per HTTP method, including those answered by an injected fault or refused. */
  requests: Record<string, number>;
  total: number;
  /** Successful (2xx) client writes: upserts, deletes, start, suspend. */
  writes: number;
  /** Requests per route template, e.g. `GET /cmf/api/v1/environments/{envName}`. */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  faultsInjected: number;
  /** Data-file writes (each may carry several mutations). */
  persistedWrites: number;
  since: string;
}

export class StatsCounter {
  private requests: Record<string, number> = {};
  private byRoute: Record<string, number> = {};
  private byStatus: Record<string, number> = {};
  private total = 0;
  private writes = 0;
  private since = Date.now();

  request(method: string): void {
    this.requests[method] = (this.requests[method] ?? 0) + 1;
    this.total++;
  }

  route(key: string): void {
    this.byRoute[key] = (this.byRoute[key] ?? 0) + 1;
  }

  status(status: number): void {
    const key = String(status);
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
  }

  write(): void {
    this.writes++;
  }

  reset(): void {
    this.requests = {};
    this.byRoute = {};
    this.byStatus = {};
    this.total = 0;
    this.writes = 0;
    this.since = Date.now();
  }

  snapshot(faultsInjected: number, persistedWrites: number): EmulatorStats {
    return {
      requests: { ...this.requests },
      total: this.total,
      writes: this.writes,
      byRoute: { ...this.byRoute },
      byStatus: { ...this.byStatus },
      faultsInjected,
      persistedWrites,
      since: new Date(this.since).toISOString(),
    };
  }
}
