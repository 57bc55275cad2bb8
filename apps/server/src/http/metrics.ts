/**
 * A tiny Prometheus registry (text exposition format 0.0.4): counters, gauges and histograms with
 * labels, plus collectors that refresh values when scraped. In house, because the service needs
 * only this much and every dependency is one more thing to audit.
 * @example
 * const registry = new Registry();
 * const hits = registry.add(new Counter('app_hits_total', 'Hits.'));
 * hits.inc({ route: '/x' });
 * await registry.render(); // '# HELP app_hits_total Hits.\n# TYPE app_hits_total counter\napp_hits_total{route="/x"} 1\n'
 */

export type Labels = Readonly<Record<string, string>>;

const NEEDS_ESCAPE = /[\\"\n]/;

/** A label value as the format wants it: backslash, double quote and newline escaped. */
export function escapeLabelValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value; // the usual case: spares three replace() per label
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}="${escapeLabelValue(labels[name] ?? '')}"`);
  if (extra) pairs.push(`${extra[0]}="${escapeLabelValue(extra[1])}"`);
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

function numberText(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  samples(): string[];
}

/** A value per label set (counters and gauges). */
abstract class Scalar implements Metric {
  abstract readonly type: 'counter' | 'gauge';
  protected readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /** Sets the value of a label set (gauges, and counters read from a durable source). */
  set(labels: Labels, value: number): void {
    this.values.set(labelText(labels), value);
  }

  /** The value of a label set (0 when never set). */
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels)) ?? 0;
  }

  samples(): string[] {
    return [...this.values].map(([labels, value]) => `${this.name}${labels} ${numberText(value)}`);
  }
}

/** A value that only goes up. */
export class Counter extends Scalar {
  readonly type = 'counter';

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
}

/** A value that goes up and down; `clear()` before refilling from a query. */
export class Gauge extends Scalar {
  readonly type = 'gauge';

  clear(): void {
    this.values.clear();
  }
}

/** Request latencies in seconds, from 5 ms to 30 s. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Observations counted in cumulative buckets, with their sum and count. */
export class Histogram implements Metric {
  readonly type = 'histogram';
  readonly #series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  readonly buckets: readonly number[];

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[] = DEFAULT_BUCKETS,
  ) {
    this.buckets = [...buckets].sort((a, b) => a - b);
  }

  observe(labels: Labels, value: number): void {
    if (!Number.isFinite(value)) return;
    const key = labelText(labels);
    let series = this.#series.get(key);
    if (!series) {
      series = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= (this.buckets[i] ?? 0)) series.counts[i] = (series.counts[i] ?? 0) + 1;
    }
    series.sum += value;
    series.count += 1;
  }

  samples(): string[] {
    const lines: string[] = [];
    for (const [key, series] of this.#series) {
      this.buckets.forEach((bound, i) => {
        lines.push(
          `${this.name}_bucket${labelText(series.labels, ['le', numberText(bound)])} ${series.counts[i]}`,
        );
      });
      lines.push(`${this.name}_bucket${labelText(series.labels, ['le', '+Inf'])} ${series.count}`);
      lines.push(`${this.name}_sum${key} ${numberText(series.sum)}`);
      lines.push(`${this.name}_count${key} ${series.count}`);
    }
    return lines;
  }
}

/** Metrics and the collectors that refresh some of them when scraped. */
export class Registry {
  readonly #metrics: Metric[] = [];
  readonly #collectors: Array<() => Promise<void> | void> = [];

  add<M extends Metric>(metric: M): M {
    if (this.#metrics.some((m) => m.name === metric.name)) throw new Error(`metric ${metric.name} exists`);
    this.#metrics.push(metric);
    return metric;
  }

  /** Runs before every render (for example a query of payments by status). */
  collect(collector: () => Promise<void> | void): void {
    this.#collectors.push(collector);
  }

  /** Runs the collectors, then renders every metric in the text format. */
  async render(): Promise<string> {
    for (const collector of this.#collectors) await collector();
    const out: string[] = [];
    for (const metric of this.#metrics) {
      out.push(`# HELP ${metric.name} ${metric.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      out.push(`# TYPE ${metric.name} ${metric.type}`);
      out.push(...metric.samples());
    }
    return `${out.join('\n')}\n`;
  }
}

/** The metrics of a QuickCart app, and the hooks other parts of the service feed. */
export interface AppMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter;
  readonly httpDuration: Histogram;
  readonly upstreamLatency: Histogram;
  readonly webhookLag: Histogram;
  /** Feed from the payment provider: one call per upstream (Pakasir) request. */
  observeUpstream(sample: { operation: string; outcome: 'ok' | 'error'; seconds: number }): void;
  /** Feed from the outbound webhook worker: seconds from the event to its delivery. */
  observeWebhookLag(seconds: number): void;
}

/** A fresh set of app metrics (HTTP, upstream latency, webhook lag). */
export function createAppMetrics(): AppMetrics {
  const registry = new Registry();
  const httpRequests = registry.add(
    new Counter('quickcart_http_requests_total', 'HTTP requests answered, by method, route and status.'),
  );
  const httpDuration = registry.add(
    new Histogram('quickcart_http_request_duration_seconds', 'HTTP request durations, by method and route.'),
  );
  const upstreamLatency = registry.add(
    new Histogram(
      'quickcart_upstream_request_duration_seconds',
      'Payment gateway (Pakasir) request durations, by operation and outcome.',
    ),
  );
  const webhookLag = registry.add(
    new Histogram(
      'quickcart_webhook_lag_seconds',
      'Seconds from a payment event to the delivery of its partner webhook.',
      [0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600, 21600, 86400],
    ),
  );
  return {
    registry,
    httpRequests,
    httpDuration,
    upstreamLatency,
    webhookLag,
    observeUpstream: ({ operation, outcome, seconds }) =>
      upstreamLatency.observe({ operation, outcome }, seconds),
    observeWebhookLag: (seconds) => webhookLag.observe({}, seconds),
  };
}
