#!/usr/bin/env node
// npm run anomalies -- FILE.csv [--json-options '{"window":60}']
// Reads `timestamp,value` lines and prints one JSON line per alert (an incident: a run of out-of-control
// points is one alert) with the detector the worker runs on its schedule (shared/monitoring/anomaly.ts).
// FILE may be '-' for stdin. Exit status: 0 (with or without alerts), 2 on bad input.
import { createJiti } from 'jiti';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const jiti = createJiti(import.meta.url);
const { detectAnomalies } = await jiti.import(resolve(root, 'shared/monitoring/anomaly.ts'));
const { parseSeriesCsv } = await jiti.import(resolve(root, 'shared/monitoring/csv-series.ts'));

const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'json-options': { type: 'string' } } });
if (positionals.length !== 1) {
  process.stderr.write('usage: npm run anomalies -- FILE.csv [--json-options \'{"lambda":0.2,"L":2.962,"window":100}\']\n');
  process.exit(2);
}
try {
  const text = readFileSync(positionals[0] === '-' ? 0 : positionals[0], 'utf8');
  const { points, labels } = parseSeriesCsv(text);
  const options = values['json-options'] ? JSON.parse(values['json-options']) : {};
  for (const alert of detectAnomalies(points, options)) {
    const quote = (t) => {
      const label = labels.get(t);
      return label !== undefined && !/^[+-]?[\d.eE+-]+$/.test(label) ? label : t;
    };
    process.stdout.write(JSON.stringify({ ...alert, t: quote(alert.t), end: quote(alert.end) }) + '\n');
  }
} catch (error) {
  process.stderr.write(`anomalies: ${error.message}\n`);
  process.exit(2);
}
