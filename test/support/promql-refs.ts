import type { PromSample } from './prom-text';

/** PromQL words that are not metric names. */
const WORDS = new Set([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'rate',
  'irate',
  'increase',
  'delta',
  'deriv',
  'histogram_quantile',
  'by',
  'without',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'abs',
  'clamp_min',
  'clamp_max',
  'time',
  'vector',
  'scalar',
  'topk',
  'bottomk',
  'sort',
  'sort_desc',
  'avg_over_time',
  'max_over_time',
  'min_over_time',
  'sum_over_time',
  'humanize',
]);

export interface PromqlRefs {
  metrics: string[];
  /** Label names per metric (from its {matchers}). */
  matcherLabels: { metric: string; label: string }[];
  /** Labels named in by (...) / without (...): must exist on some metric of the expression. */
  groupLabels: string[];
}

/** The metric names and label names an expression refers to (durations and strings removed). */
export function promqlRefs(expr: string): PromqlRefs {
  const matcherLabels: { metric: string; label: string }[] = [];
  const noStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of noStrings.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g)) {
    for (const l of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) {
      matcherLabels.push({ metric: m[1], label: l[1] });
    }
  }
  const groupLabels: string[] = [];
  for (const g of noStrings.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
    groupLabels.push(
      ...g[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }
  const bare = noStrings
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without)\s*\([^)]*\)/g, ' ');
  const metrics = [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .map((m) => m[0])
    .filter((w) => !WORDS.has(w) && !/^\d/.test(w));
  return { metrics: [...new Set(metrics)], matcherLabels, groupLabels };
}

/** What an expression names that the scrape does not have (empty: every reference is real). */
export function missingRefs(expr: string, scrape: PromSample[]): string[] {
  const refs = promqlRefs(expr);
  const labelsOf = (metric: string) =>
    new Set(scrape.filter((s) => s.name === metric).flatMap((s) => Object.keys(s.labels)));
  const missing: string[] = [];
  for (const metric of refs.metrics) {
    if (!scrape.some((s) => s.name === metric)) missing.push(`metric ${metric}`);
  }
  for (const { metric, label } of refs.matcherLabels) {
    if (!labelsOf(metric).has(label)) missing.push(`label ${metric}{${label}}`);
  }
  for (const label of refs.groupLabels) {
    if (!refs.metrics.some((m) => labelsOf(m).has(label))) missing.push(`by (${label})`);
  }
  return missing;
}
