import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

// Latency buckets in seconds: from a cached gateway refusal (~1 ms) to an injected 60 s delay.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The Prometheus metrics of one server, in a registry of its own (several apps may share a process,
 * as tests do). Labels take only bounded values: operation ids from the registry, status codes.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly apiRequests = new Counter({
    name: 'bizapi_api_requests_total',
    help: 'Amazon Business API calls by operation, status and environment.',
    labelNames: ['operation', 'status', 'environment'],
    registers: [this.registry],
  });
  readonly apiDuration = new Histogram({
    name: 'bizapi_api_request_duration_seconds',
    help: 'Latency of Amazon Business API calls, by operation.',
    labelNames: ['operation'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly throttles = new Counter({
    name: 'bizapi_api_throttled_total',
    help: 'API calls answered 429, by operation and source (usage_plan or fault).',
    labelNames: ['operation', 'source'],
    registers: [this.registry],
  });
  readonly tokenRequests = new Counter({
    name: 'bizapi_token_requests_total',
    help: 'Token endpoint calls by grant type and status.',
    labelNames: ['grant_type', 'status'],
    registers: [this.registry],
  });
  readonly tokensIssued = new Counter({
    name: 'bizapi_tokens_issued_total',
    help: 'Access tokens issued by the token endpoint, by grant type.',
    labelNames: ['grant_type'],
    registers: [this.registry],
  });
  readonly faultsInjected = new Counter({
    name: 'bizapi_faults_injected_total',
    help: 'API calls answered by an emulator fault rule, by status.',
    labelNames: ['status'],
    registers: [this.registry],
  });
  readonly requestLogDropped = new Counter({
    name: 'bizapi_request_log_dropped_total',
    help: 'Request log entries dropped (buffer full or write failed).',
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  private readonly histograms = new Map<string, Histogram<'operation'>>();
  private readonly apiChildren = new Map<string, { requests: { inc(): void }; duration: { observe(seconds: number): void } }>();

  /**
   * Counts one API call and its latency. The labelled children are kept per label set (bounded:
   * operations × statuses × environments), so a call does not hash its labels again.
   */
  apiCall(operation: string, status: number, environment: string, seconds: number): void {
    const key = `${operation}|${status}|${environment}`;
    let c = this.apiChildren.get(key);
    if (!c) {
      c = {
        requests: this.apiRequests.labels({ operation, status: String(status), environment }),
        duration: this.apiDuration.labels({ operation }),
      };
      this.apiChildren.set(key, c);
    }
    c.requests.inc();
    c.duration.observe(seconds);
  }

  /** A latency histogram by operation, created on first use (an API module's own metric, e.g. bizapi_search_duration_seconds). */
  histogram(name: string, help: string): Histogram<'operation'> {
    let h = this.histograms.get(name);
    if (!h) {
      h = new Histogram({ name, help, labelNames: ['operation'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
      this.histograms.set(name, h);
    }
    return h;
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
