import { describe, expect, it } from 'vitest';
import { Counter, createAppMetrics, escapeLabelValue, Gauge, Histogram, Registry } from './metrics.js';

describe('metrics registry', () => {
  it('renders counters and gauges in the Prometheus text format', async () => {
    const registry = new Registry();
    const hits = registry.add(new Counter('app_hits_total', 'Hits.'));
    const depth = registry.add(new Gauge('app_depth', 'Depth.'));
    hits.inc({ route: '/x', method: 'GET' });
    hits.inc({ method: 'GET', route: '/x' }, 2);
    depth.set({}, 4);
    expect(await registry.render()).toBe(
      [
        '# HELP app_hits_total Hits.',
        '# TYPE app_hits_total counter',
        'app_hits_total{method="GET",route="/x"} 3',
        '# HELP app_depth Depth.',
        '# TYPE app_depth gauge',
        'app_depth 4',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values', () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it('counts histogram observations in cumulative buckets', async () => {
    const registry = new Registry();
    const h = registry.add(new Histogram('lat_seconds', 'Latency.', [0.1, 1]));
    h.observe({ op: 'a' }, 0.05);
    h.observe({ op: 'a' }, 0.5);
    h.observe({ op: 'a' }, 5);
    h.observe({ op: 'a' }, Number.NaN);
    const text = await registry.render();
    expect(text).toContain('lat_seconds_bucket{op="a",le="0.1"} 1');
    expect(text).toContain('lat_seconds_bucket{op="a",le="1"} 2');
    expect(text).toContain('lat_seconds_bucket{op="a",le="+Inf"} 3');
    expect(text).toContain('lat_seconds_sum{op="a"} 5.55');
    expect(text).toContain('lat_seconds_count{op="a"} 3');
  });

  it('runs collectors before rendering and refuses duplicate names', async () => {
    const registry = new Registry();
    const g = registry.add(new Gauge('g', 'G.'));
    let n = 0;
    registry.collect(() => {
      n += 1;
      g.set({}, n);
    });
    expect(await registry.render()).toContain('g 1');
    expect(await registry.render()).toContain('g 2');
    expect(() => registry.add(new Gauge('g', 'again'))).toThrow(/exists/);
  });

  it('feeds upstream latency and webhook lag through the app hooks', async () => {
    const metrics = createAppMetrics();
    metrics.observeUpstream({ operation: 'detail', outcome: 'error', seconds: 3 });
    metrics.observeWebhookLag(2);
    const text = await metrics.registry.render();
    expect(text).toContain(
      'quickcart_upstream_request_duration_seconds_count{operation="detail",outcome="error"} 1',
    );
    expect(text).toContain('quickcart_webhook_lag_seconds_count 1');
  });
});
